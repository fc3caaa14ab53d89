// Step 03.1: /authorize sends the person to Entra with the server's own PKCE, state and nonce, and only
// for a redirect URI the MCP client registered.
import { expect } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { CLIENT_REDIRECT, hop, location, requireSteps, startSignIn, useLabServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant, server } = useLabServer();
const check = checksFor(lab);

check('03.1.1', async () => {
  requireSteps('03.1');
  const { provider, authorizeUrl } = await startSignIn(server());
  const response = await hop(authorizeUrl);
  expect(response.status, '/authorize redirects the browser to Entra (302)').toBe(302);
  const entra = new URL(response.headers.get('location')!);
  expect(entra.origin + entra.pathname, "to Entra's authorize endpoint for your tenant").toBe(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`);
  const query = Object.fromEntries(entra.searchParams);
  expect(query, "the server signs in as itself, back to its own callback").toMatchObject({
    client_id: APPS.remoteServer,
    redirect_uri: `${server().baseUrl}/auth/callback`,
    response_type: 'code',
    code_challenge_method: 'S256',
  });
  expect(query.scope?.split(' '), 'it asks for Graph User.Read (and a refresh token)').toEqual(expect.arrayContaining(['User.Read', 'offline_access']));
  expect(query.nonce, 'a nonce, for the id token to echo').toBeTruthy();
  expect(query.state, 'a state of its own').toBeTruthy();
  expect(query.state, "the MCP client's state stays with the server").not.toBe(provider.lastState);
  expect(query.code_challenge, "a PKCE challenge of its own: the client's challenge belongs to the other leg").not.toBe(authorizeUrl.searchParams.get('code_challenge'));
  expect(query.nonce, "a nonce of its own, not the client's state").not.toBe(provider.lastState);

  // The same client signs in again: every secret of the Entra leg is new (newSecret(), generatePkceCodes()).
  const again = Object.fromEntries(location(await hop((await startSignIn(server(), provider)).authorizeUrl)).searchParams);
  expect(again.state, 'a second sign-in of the same client gets a new state').not.toBe(query.state);
  expect(again.nonce, 'and a new nonce (newSecret() each time: a nonce that repeats lets an old id token be replayed)').not.toBe(query.nonce);
  expect(again.code_challenge, 'and a new PKCE pair').not.toBe(query.code_challenge);
});

check('03.1.2', async () => {
  requireSteps('03.1');
  const { authorizeUrl } = await startSignIn(server());
  for (const redirect of ['http://127.0.0.1:40000/oauth/callback', 'http://127.0.0.1:33418/elsewhere', 'https://attacker.example/oauth/callback']) {
    const url = new URL(authorizeUrl);
    url.searchParams.set('redirect_uri', redirect);
    const response = await hop(url);
    expect(response.status, `redirect_uri ${redirect} (not registered) gets an error page`).toBe(400);
    expect(response.headers.get('location'), 'and no redirect anywhere').toBeNull();
    expect(response.headers.get('content-type'), 'the error page is JSON, not a page that echoes the redirect URI').toMatch(/json/);
  }
  expect(tenant().log.count('authorize'), 'nobody was sent to Entra').toBe(0);
});

check('03.1.3', async () => {
  requireSteps('03.1');
  const { authorizeUrl } = await startSignIn(server());
  const base = new URL(server().baseUrl);
  const withResource = (resource: string) => {
    const url = new URL(authorizeUrl);
    url.searchParams.set('resource', resource);
    return hop(url);
  };
  for (const ours of [`${base.origin}/`, `${base.origin}/mcp`, `${base.origin}/sse`]) {
    const response = await withResource(ours);
    expect(response.status, `resource=${ours} names this server: the browser goes on to Entra (302)`).toBe(302);
    expect(response.headers.get('location'), `resource=${ours} names this server: the browser goes on to Entra`).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
  }
  const foreign = {
    'another API': 'https://graph.microsoft.com/',
    'the same host on another port': `${base.protocol}//${base.hostname}:1/mcp`,
    'the same host and port over https': `https://${base.host}/mcp`,
    'a URL whose text starts with this server\'s origin (user info before an @)': `${base.origin}@evil.example/mcp`,
  };
  for (const [what, resource] of Object.entries(foreign)) {
    const response = await withResource(resource);
    const where = response.headers.get('location') ?? '';
    expect(where, `resource=${resource} (${what}) is not this server: nobody is sent to Entra (compare origins with checkResourceAllowed, never the text)`).not.toMatch(/login\.microsoftonline\.com/);
    if (response.status === 302) {
      const back = new URL(where);
      expect(back.origin + back.pathname, `resource=${resource} (${what}): an OAuth error goes back to the client's registered redirect URI`).toBe(CLIENT_REDIRECT);
      expect(back.searchParams.get('error'), `resource=${resource} (${what}): the error is invalid_target (throw InvalidTargetError)`).toBe('invalid_target');
    } else {
      expect(response.status, `resource=${resource} (${what}): refused with invalid_target (throw InvalidTargetError), not ${response.status}`).toBe(400);
    }
  }
});
