// Step 03.1: /authorize sends the person to Entra with the server's own PKCE, state and nonce, and only
// for a redirect URI the MCP client registered.
import { afterAll, beforeAll, expect } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { hop, requireSteps, startLabServer, startSignIn, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);
let server: RunningServer;

beforeAll(async () => {
  server = await startLabServer(tenant);
});
afterAll(() => server?.close());

check('03.1.1', async () => {
  requireSteps('03.1');
  const { provider, authorizeUrl } = await startSignIn(server);
  const response = await hop(authorizeUrl);
  expect(response.status, '/authorize redirects the browser to Entra (302)').toBe(302);
  const entra = new URL(response.headers.get('location')!);
  expect(entra.origin + entra.pathname).toBe(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`);
  const query = Object.fromEntries(entra.searchParams);
  expect(query, "the server signs in as itself, back to its own callback").toMatchObject({
    client_id: APPS.remoteServer,
    redirect_uri: `${server.baseUrl}/auth/callback`,
    response_type: 'code',
    code_challenge_method: 'S256',
  });
  expect(query.scope?.split(' '), 'it asks for Graph User.Read (and a refresh token)').toEqual(expect.arrayContaining(['User.Read', 'offline_access']));
  expect(query.nonce, 'a nonce, for the id token to echo').toBeTruthy();
  expect(query.state, 'a state of its own').toBeTruthy();
  expect(query.state, "the MCP client's state stays with the server").not.toBe(provider.lastState);
  expect(query.code_challenge, "a PKCE challenge of its own: the client's challenge belongs to the other leg").not.toBe(authorizeUrl.searchParams.get('code_challenge'));
});

check('03.1.2', async () => {
  requireSteps('03.1');
  const { authorizeUrl } = await startSignIn(server);
  for (const redirect of ['http://127.0.0.1:40000/oauth/callback', 'http://127.0.0.1:33418/elsewhere', 'https://attacker.example/oauth/callback']) {
    const url = new URL(authorizeUrl);
    url.searchParams.set('redirect_uri', redirect);
    const response = await hop(url);
    expect(response.status, `redirect_uri ${redirect} (not registered) gets an error page`).toBe(400);
    expect(response.headers.get('location'), 'and no redirect anywhere').toBeNull();
    expect(response.headers.get('content-type')).toMatch(/json/);
  }
  expect(tenant().log.count('authorize'), 'nobody was sent to Entra').toBe(0);
});
