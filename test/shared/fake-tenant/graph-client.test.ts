// The fake Graph through the real @microsoft/microsoft-graph-client, as lab code calls it: msw puts
// the handler behind https://graph.microsoft.com, and the client's own middleware does the rest.
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cancelResponseClones, offlineGuard } from '#shared/fake-tenant/transports/msw-guards.ts';
import { graphHarness } from './graph-harness.ts';

const graph = await graphHarness();
let requests = 0;
const server = setupServer(
  http.all('https://graph.microsoft.com/*', ({ request }) => {
    requests += 1;
    return graph.handler(request);
  }),
);

beforeAll(() => {
  cancelResponseClones(server);
  server.listen({ onUnhandledRequest: offlineGuard });
});
afterAll(() => server.close());

const clientWith = (token: string) => Client.initWithMiddleware({ authProvider: { getAccessToken: async () => token } });

describe('with the Graph client', () => {
  test('/me with .select() returns the selected properties', async () => {
    const client = clientWith(await graph.userToken('User.Read'));
    const me = await client.api('/me').select(['displayName', 'mail']).get();
    expect(me).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(displayName,mail)/$entity',
      displayName: 'Adele Vance',
      mail: 'adele@contoso.onmicrosoft.com',
    });
  });

  test('a 429 with Retry-After: 1 is retried by the client\'s RetryHandler after a second, then succeeds', async () => {
    const client = clientWith(await graph.userToken('User.Read'));
    graph.throttles.push(1);
    requests = 0;
    const started = Date.now();
    const me = await client.api('/me').get();
    expect(me.displayName).toBe('Adele Vance');
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('Graph\'s error body becomes the client\'s GraphError, with code, status and request id', async () => {
    const client = clientWith(await graph.userToken('openid'));
    const error = await client.api('/me').get().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
