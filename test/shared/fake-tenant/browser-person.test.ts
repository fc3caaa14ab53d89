// The person at a browser over real HTTP (shared/fake-tenant/browser-person.ts), for a tenant in another
// process: here the tenant served on loopback, and an app whose /login sends the browser to it and whose
// callback says the browser arrived. The person gets through the sign-in and device login pages, stops
// where an app catches its own redirect, names an error page's AADSTS code, and never leaves loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enterDeviceCode, SignInPageError, signInInBrowser } from '#shared/fake-tenant/browser-person.ts';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { serveTenant, type RunningServer } from '#shared/fake-tenant/transports/server.ts';

let tenant: FakeTenant;
let served: RunningServer;
let app: Server;
let appOrigin: string;

beforeAll(async () => {
  tenant = await FakeTenant.create({ reuseSigningKeys: true });
  served = await serveTenant(tenant);
  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', appOrigin);
    if (url.pathname === '/login') return void res.writeHead(302, { location: authorizeUrl(`${appOrigin}/auth/callback`) }).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Signed in.</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
  tenant.model.applications.find((candidate) => candidate.appId === APPS.remoteServer)!.web.redirectUris.push(`${appOrigin}/auth/callback`);
});

afterAll(async () => {
  await Promise.all([served?.close(), new Promise((resolve) => app?.close(resolve))]);
  tenant?.close();
});

function authorizeUrl(redirectUri: string, more: Record<string, string> = {}): string {
  const query = new URLSearchParams({ client_id: APPS.remoteServer, response_type: 'code', redirect_uri: redirectUri, scope: 'User.Read', state: 'st', ...more });
  return `${served.url}/${TENANT_ID}/oauth2/v2.0/authorize?${query}`;
}

test('from the app to the sign-in page and back: the browser comes to rest at the callback, with a code', async () => {
  const { url, status } = await signInInBrowser(`${appOrigin}/login`, { user: 'megan@contoso.onmicrosoft.com' });
  expect(status, 'the callback answered').toBe(200);
  expect(url.origin + url.pathname).toBe(`${appOrigin}/auth/callback`);
  expect(url.searchParams.get('code'), 'the code the tenant issued').toBeTruthy();
  expect(url.searchParams.get('state')).toBe('st');
});

test('an app that catches its own loopback redirect gets it unvisited', async () => {
  // Lab 05's MCP client: a public client (so PKCE), its redirect URI http://localhost.
  const pkce = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
  const start = authorizeUrl('http://localhost', { client_id: APPS.mcpClient, scope: `api://${APPS.remoteServer}/mcp.tools`, ...pkce });
  const { url } = await signInInBrowser(start, { user: 'adele@contoso.onmicrosoft.com', catchAt: 'http://localhost' });
  expect(url.origin).toBe('http://localhost');
  expect(url.searchParams.get('code')).toBeTruthy();
});

test('an error page stops the person, with its AADSTS code', async () => {
  const failure = await signInInBrowser(authorizeUrl('http://127.0.0.1:6276/oauth/callback'), { user: 'megan@contoso.onmicrosoft.com' }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(SignInPageError);
  expect((failure as SignInPageError).aadsts, 'an unregistered redirect URI').toBe(50011);
  expect(String(failure), 'no query in the message').not.toContain('state=');
});

test('a redirect off this machine is not followed', async () => {
  const failure = await signInInBrowser('http://example.com/login', { user: 'megan@contoso.onmicrosoft.com' }).catch((error: unknown) => error);
  expect(String(failure)).toMatch(/sent off this machine, to http:\/\/example\.com: refused/);
});

test('at the device login page the person enters the code: the client\'s next poll gets its tokens', async () => {
  const started = await fetch(`${served.url}/${TENANT_ID}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: APPS.localClient, scope: 'User.Read' }) });
  const { user_code: userCode, device_code: deviceCode, verification_uri: verificationUri } = (await started.json()) as Record<string, string>;
  expect(verificationUri).toBe(`${served.url}/devicelogin`);

  await enterDeviceCode(verificationUri!, userCode!, { user: 'megan@contoso.onmicrosoft.com' });
  const poll = await fetch(`${served.url}/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: APPS.localClient, grant_type: 'device_code', device_code: deviceCode! }),
  });
  expect(poll.status, 'the poll after the approval').toBe(200);
  expect(((await poll.json()) as { access_token?: string }).access_token).toBeTruthy();

  const again = await enterDeviceCode(verificationUri!, userCode!, { user: 'megan@contoso.onmicrosoft.com' }).catch((error: unknown) => error);
  expect(String(again), 'a used code is refused on the page').toMatch(/did not accept the code/);
});
