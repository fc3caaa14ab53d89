// The person at a browser over real HTTP (shared/fake-tenant/browser-person.ts), for a tenant in another
// process: here the tenant served on loopback, and an app whose /login sends the browser to it and whose
// callback says the browser arrived. The person gets through the sign-in, consent and device login pages,
// stops where an app catches its own redirect, names what stopped it (an AADSTS code, a wrong password, an
// unknown account) without a code or state, and never leaves loopback.
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
  const query = new URLSearchParams({ client_id: APPS.remoteServer, response_type: 'code', redirect_uri: redirectUri, scope: 'User.Read', state: 'the-state', ...more });
  return `${served.url}/${TENANT_ID}/oauth2/v2.0/authorize?${query}`;
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

test('from the app to the sign-in page and back: the browser comes to rest at the callback, with a code', async () => {
  const { url, status } = await signInInBrowser(`${appOrigin}/login`, { user: 'megan@contoso.onmicrosoft.com' });
  expect(status, 'the callback answered').toBe(200);
  expect(url.origin + url.pathname).toBe(`${appOrigin}/auth/callback`);
  expect(url.searchParams.get('code'), 'the code the tenant issued').toBeTruthy();
  expect(url.searchParams.get('state')).toBe('the-state');
});

test('the consent page is accepted, or cancelled; the steps it reports name no code and no state', async () => {
  const steps: string[] = [];
  // prompt=consent: the consent page comes, whatever was consented before.
  const api = { scope: `api://${APPS.remoteServer}/mcp.tools`, prompt: 'consent' };
  const start = authorizeUrl(`${appOrigin}/auth/callback`, api);
  const { url } = await signInInBrowser(start, { user: 'alex@contoso.onmicrosoft.com', stopAt: `${appOrigin}/auth/callback`, onStep: (step) => steps.push(step) });
  expect(url.searchParams.get('code')).toBeTruthy();
  expect(steps.join('\n')).toMatch(/the sign-in page; picked alex@contoso\.onmicrosoft\.com, typed the password/);
  expect(steps.join('\n'), 'the consent page, accepted').toMatch(/the consent page; Accept/);
  expect(steps.join('\n'), 'the steps name no code and no state').not.toMatch(/code=|state=|the-state/);

  const declined = await signInInBrowser(start, { user: 'alex@contoso.onmicrosoft.com', stopAt: `${appOrigin}/auth/callback`, consent: false });
  expect(declined.url.searchParams.get('error'), 'Cancel on the consent page: the app hears access_denied').toBe('access_denied');
});

test('an app that catches its own loopback redirect gets it unvisited', async () => {
  // Lab 05's MCP client: a public client (so PKCE), its redirect URI http://localhost.
  const pkce = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
  const start = authorizeUrl('http://localhost', { client_id: APPS.mcpClient, scope: `api://${APPS.remoteServer}/mcp.tools`, ...pkce });
  const { url, status } = await signInInBrowser(start, { user: 'adele@contoso.onmicrosoft.com', stopAt: 'http://localhost' });
  expect(status, 'the redirect itself: nothing listens there').toBe(302);
  expect(url.origin).toBe('http://localhost');
  expect(url.searchParams.get('code')).toBeTruthy();
});

test('an error page, a wrong password and an unknown account stop the person, with the AADSTS code and no state', async () => {
  const unregistered = await failureOf(signInInBrowser(authorizeUrl('http://127.0.0.1:6276/oauth/callback'), { user: 'megan@contoso.onmicrosoft.com' }));
  expect(unregistered).toBeInstanceOf(SignInPageError);
  expect((unregistered as SignInPageError).aadsts, 'an unregistered redirect URI').toBe(50011);
  expect(String(unregistered), 'no query in the message').not.toMatch(/state=|the-state/);

  const wrongPassword = await failureOf(signInInBrowser(`${appOrigin}/login`, { user: 'megan@contoso.onmicrosoft.com', password: 'guess' }));
  expect((wrongPassword as SignInPageError).aadsts).toBe(50126);
  expect(String(wrongPassword)).toMatch(/the sign-in page|Sign in to your account.*password/i);

  const nobody = await failureOf(signInInBrowser(`${appOrigin}/login`, { user: 'nobody@contoso.onmicrosoft.com' }));
  expect((nobody as SignInPageError).aadsts, 'an account the tenant lacks').toBe(50034);
  expect(String(nobody)).toMatch(/does not exist/);
});

test('a redirect off this machine is not followed', async () => {
  const failure = await failureOf(signInInBrowser('http://example.com/login', { user: 'megan@contoso.onmicrosoft.com' }));
  expect(String(failure)).toMatch(/sent off this machine, to http:\/\/example\.com: refused/);
});

async function startDeviceCode(scope = 'User.Read'): Promise<Record<string, string>> {
  const started = await fetch(`${served.url}/${TENANT_ID}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: APPS.localClient, scope }) });
  return (await started.json()) as Record<string, string>;
}

const poll = (deviceCode: string) =>
  fetch(`${served.url}/${TENANT_ID}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ client_id: APPS.localClient, grant_type: 'device_code', device_code: deviceCode }) });

test('at the device login page the person enters the code: the client\'s next poll gets its tokens', async () => {
  const { user_code: userCode, device_code: deviceCode, verification_uri: verificationUri } = await startDeviceCode();
  expect(verificationUri).toBe(`${served.url}/devicelogin`);

  await enterDeviceCode(verificationUri!, userCode!, { user: 'megan@contoso.onmicrosoft.com' });
  const answer = await poll(deviceCode!);
  expect(answer.status, 'the poll after the approval').toBe(200);
  expect(((await answer.json()) as { access_token?: string }).access_token).toBeTruthy();

  const again = await failureOf(enterDeviceCode(verificationUri!, userCode!, { user: 'megan@contoso.onmicrosoft.com' }));
  expect(again).toBeInstanceOf(SignInPageError);
  expect(String(again), 'a used code is refused on the page').toMatch(/did not accept the code/);
});

test('at the device login page the person can cancel: the client\'s next poll hears it', async () => {
  // `User.ReadBasic.All`: nobody consented to it for the local client, so the consent page comes, and the person cancels it.
  const { user_code: userCode, device_code: deviceCode, verification_uri: verificationUri } = await startDeviceCode('User.Read User.ReadBasic.All');
  await enterDeviceCode(verificationUri!, userCode!, { user: 'adele@contoso.onmicrosoft.com', consent: false });
  const answer = await poll(deviceCode!);
  expect(((await answer.json()) as { error?: string }).error).toBe('authorization_declined');
});
