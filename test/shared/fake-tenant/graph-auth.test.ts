// The fake Graph's bearer check, error format and throttling, against a context with its own key.
import { generateKeyPair } from 'jose';
import { describe, expect, test } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import { graphHarness, json } from './graph-harness.ts';

const graph = await graphHarness();

/** Graph's error body: code, message and innerError with the request ids (also sent as headers). */
async function expectGraphError(response: Response, status: number, code: string, message?: string | RegExp) {
  expect(response.status).toBe(status);
  const body = await json(response);
  expect(body.error.code).toBe(code);
  if (message !== undefined) expect(body.error.message).toMatch(message);
  expect(body.error.innerError).toEqual({
    date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    'request-id': response.headers.get('request-id'),
    'client-request-id': response.headers.get('client-request-id'),
  });
  return body;
}

describe('bearer check', () => {
  test('no Authorization header: 401 InvalidAuthenticationToken "Access token is empty." with a challenge', async () => {
    const response = await graph.call('GET', '/me');
    await expectGraphError(response, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="", authorization_uri=".*", client_id="00000003-0000-0000-c000-000000000000"$/);
  });

  test('a token that is not a JWT: 401 IDX14100', async () => {
    await expectGraphError(await graph.call('GET', '/me', { token: 'not-a-jwt' }), 401, 'InvalidAuthenticationToken', /^IDX14100: JWT is not well formed/);
  });

  test('a token signed by another key: 401, without saying which check failed', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await graph.token({ scp: 'User.Read', oid: graph.model.users[0]!.id }, { key: privateKey });
    await expectGraphError(await graph.call('GET', '/me', { token: forged }), 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  });

  test('an expired token: 401 "Lifetime validation failed, the token is expired."', async () => {
    const expired = await graph.token({ scp: 'User.Read', oid: graph.model.users[0]!.id }, { lifetimeSeconds: -60 });
    await expectGraphError(await graph.call('GET', '/me', { token: expired }), 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  });

  test('a token for another API (the MCP server) is refused: Invalid audience', async () => {
    const forTheServer = await graph.token({ aud: APPS.remoteServer, scp: 'mcp.tools', oid: graph.model.users[0]!.id });
    await expectGraphError(
      await graph.call('GET', '/me', { token: forTheServer }),
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    );
  });

  test.each(['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'])(
    'Graph accepts the audience %s',
    async (aud) => {
      const token = await graph.token({ aud, scp: 'User.Read', oid: graph.model.users[0]!.id });
      expect((await graph.call('GET', '/me', { token })).status).toBe(200);
    },
  );

  test('a token from another tenant is refused', async () => {
    const token = await graph.token({ tid: '11111111-2222-4333-8444-555555555555', scp: 'User.Read', oid: graph.model.users[0]!.id });
    await expectGraphError(await graph.call('GET', '/me', { token }), 401, 'InvalidAuthenticationToken', /Invalid issuer/);
  });

  test('the client-request-id a client sends comes back; each answer has a request-id of its own', async () => {
    const response = await graph.call('GET', '/me', { headers: { 'client-request-id': 'c0ffee00-1111-4222-8333-444455556666' } });
    expect(response.headers.get('client-request-id')).toBe('c0ffee00-1111-4222-8333-444455556666');
    expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('routes', () => {
  test('an unknown segment: 400 BadRequest naming it', async () => {
    const token = await graph.userToken('User.Read');
    await expectGraphError(await graph.call('GET', '/groupz', { token }), 400, 'BadRequest', "Resource not found for the segment 'groupz'.");
    await expectGraphError(await graph.call('GET', '/me/drivez', { token }), 400, 'BadRequest', "Resource not found for the segment 'drivez'.");
  });

  test('a method the resource does not allow: 405', async () => {
    const token = await graph.userToken('User.Read');
    await expectGraphError(await graph.call('DELETE', '/me', { token }), 405, 'Request_BadRequest', /method is not allowed/);
  });
});

describe('throttling', () => {
  test('an injected throttle answers 429 TooManyRequests with Retry-After before checking anything else', async () => {
    graph.throttles.push(7);
    const response = await graph.call('GET', '/me'); // no token at all: the throttle still comes first
    await expectGraphError(response, 429, 'TooManyRequests');
    expect(response.headers.get('retry-after')).toBe('7');
    const token = await graph.userToken('User.Read');
    expect((await graph.call('GET', '/me', { token })).status).toBe(200); // one throttle, consumed
  });
});
