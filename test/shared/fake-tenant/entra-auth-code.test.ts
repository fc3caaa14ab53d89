// The authorization code flow against the fake tenant, driven by the real msal-node and checked with
// jose the way an API would: discovery, JWKS, issuer, audience.
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

/** A JSON response body; checks read its fields freely. */
const json = (response: Response) => response.json() as Promise<Record<string, any>>;

const fake = useFakeTenant();
const AUTHORITY = `https://login.microsoftonline.com/${TENANT_ID}`;
const REDIRECT_URI = 'http://localhost:3000/auth/callback';
const API_SCOPE = `api://${APPS.remoteServer}/mcp.tools`;
const crypto = new CryptoProvider();

function remoteServer(secret = REMOTE_SERVER_SECRET) {
  return new ConfidentialClientApplication({ auth: { clientId: APPS.remoteServer, clientSecret: secret, authority: AUTHORITY } });
}

/** getAuthCodeUrl with PKCE, state and nonce, then the user signs in: what a browser round trip yields. */
async function authorize(msal: ConfidentialClientApplication, user: string, scopes = [API_SCOPE]) {
  const pkce = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const nonce = crypto.createNewGuid();
  const url = await msal.getAuthCodeUrl({ scopes, redirectUri: REDIRECT_URI, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', state, nonce });
  const redirect = await fake.tenant().signIn(url, user);
  const code = redirect.searchParams.get('code') ?? '';
  const redeem = (overrides: { codeVerifier?: string; redirectUri?: string } = {}) =>
    msal.acquireTokenByCode({ code, scopes, redirectUri: overrides.redirectUri ?? REDIRECT_URI, codeVerifier: overrides.codeVerifier ?? pkce.verifier, state, nonce });
  return { url: new URL(url), redirect, state, code, verifier: pkce.verifier, redeem };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('authorization code flow with msal-node', () => {
  test('sign-in redirects with code and state; the access token is a v2 token for the API that jose verifies', async () => {
    const msal = remoteServer();
    const flow = await authorize(msal, 'adele@contoso.onmicrosoft.com');
    expect(flow.redirect.origin + flow.redirect.pathname).toBe(REDIRECT_URI);
    expect(flow.redirect.searchParams.get('state')).toBe(flow.state);
    const result = await flow.redeem();

    const discovery = await json(await fetch(`${AUTHORITY}/v2.0/.well-known/openid-configuration`));
    expect(discovery).not.toHaveProperty('code_challenge_methods_supported');
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(result.accessToken, jwks, { issuer: discovery.issuer, audience: APPS.remoteServer });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(protectedHeader.kid).toBeTypeOf('string');
    expect(payload).toMatchObject({
      iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      ver: '2.0',
      tid: TENANT_ID,
      oid: USERS.adele,
      scp: 'mcp.tools',
      azp: APPS.remoteServer,
      name: 'Adele Vance',
      preferred_username: 'adele@contoso.onmicrosoft.com',
    });
    expect(payload.roles).toEqual(expect.arrayContaining(['MCP.Reader', 'MCP.Admin']));
    expect(payload.sub).not.toBe(USERS.adele);
    expect(payload.exp! - payload.iat!).toBeGreaterThan(300);

    expect(result.account?.homeAccountId, 'client_info makes the home account id oid.tid').toBe(`${USERS.adele}.${TENANT_ID}`);
    expect(result.account?.username).toBe('adele@contoso.onmicrosoft.com');
    expect(result.idTokenClaims).toMatchObject({ aud: APPS.remoteServer, oid: USERS.adele, nonce: expect.any(String), roles: expect.arrayContaining(['MCP.Admin']) });
    expect(result.scopes).toContain(API_SCOPE);
  });

  test('a user without app roles gets no roles claim', async () => {
    const result = await (await authorize(remoteServer(), USERS.alex)).redeem();
    const claims = JSON.parse(Buffer.from(result.accessToken.split('.')[1]!, 'base64url').toString());
    expect(claims.roles).toBeUndefined();
    expect(claims.oid).toBe(USERS.alex);
  });

  test('acquireTokenSilent answers from the cache, then refreshes once the token expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const msal = remoteServer();
    const first = await (await authorize(msal, USERS.megan)).redeem();
    const tenant = fake.tenant();
    tenant.log.clear();

    const cached = await msal.acquireTokenSilent({ account: first.account!, scopes: [API_SCOPE] });
    expect(cached.fromCache).toBe(true);
    expect(tenant.log.count('token')).toBe(0);

    vi.setSystemTime(Date.now() + 3600_000);
    const refreshed = await msal.acquireTokenSilent({ account: first.account!, scopes: [API_SCOPE] });
    expect(refreshed.fromCache).toBe(false);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(tenant.log.count((entry) => entry.endpoint === 'token' && entry.grantType === 'refresh_token')).toBe(1);
    expect(tenant.log.count('token')).toBe(1);
  });

  test('form_post and fragment deliver the code the way response_mode asks', async () => {
    const msal = remoteServer();
    const { url } = await authorize(msal, USERS.adele);
    url.searchParams.set('response_mode', 'form_post');
    const posted = await fake.tenant().signIn(url.href, USERS.adele);
    expect(posted.searchParams.get('code')).toMatch(/^1\.A/);
    url.searchParams.set('response_mode', 'fragment');
    const fragment = await fake.tenant().signIn(url.href, USERS.adele);
    expect(new URLSearchParams(fragment.hash.slice(1)).get('code')).toMatch(/^1\.A/);
  });
});

describe('single sign-on', () => {
  test('a GET with the session cookie redirects at once; prompt=none without one says login_required', async () => {
    const tenant = fake.tenant();
    const { url } = await authorize(remoteServer(), USERS.adele);
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');

    const form = new URLSearchParams(url.searchParams);
    form.set('user', USERS.adele);
    const signedIn = await tenant.handle(new Request(url.origin + url.pathname, { method: 'POST', body: form }));
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=None/);

    const again = await fetch(url, { redirect: 'manual', headers: { cookie: cookie.split(';')[0]! } });
    expect(again.status).toBe(302);
    expect(new URL(again.headers.get('location')!).searchParams.get('code')).toBeTruthy();

    url.searchParams.set('prompt', 'none');
    const silent = await fetch(url, { redirect: 'manual' });
    const location = new URL(silent.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS50058:/);
    expect(location.searchParams.get('state')).toBe(url.searchParams.get('state'));
  });
});

describe('errors, in Entra\'s shape', () => {
  async function serverError(promise: Promise<AuthenticationResult>) {
    const error = await promise.then(
      () => undefined,
      (failure: unknown) => failure as { errorCode: string; errorMessage: string },
    );
    expect(error, 'the request should have failed').toBeDefined();
    return error!;
  }

  test('a replayed code fails with AADSTS54005', async () => {
    const flow = await authorize(remoteServer(), USERS.adele);
    await flow.redeem();
    const error = await serverError(flow.redeem());
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toMatch(/AADSTS54005/);
  });

  test('a wrong code_verifier fails with AADSTS50148', async () => {
    const flow = await authorize(remoteServer(), USERS.adele);
    const error = await serverError(flow.redeem({ codeVerifier: (await crypto.generatePkceCodes()).verifier }));
    expect(error.errorMessage).toMatch(/AADSTS50148/);
  });

  test('a wrong secret fails with invalid_client AADSTS7000215, and the body has every Entra field', async () => {
    const flow = await authorize(remoteServer(), USERS.adele);
    const error = await serverError(remoteServer('not-the-secret').acquireTokenByCode({ code: flow.code, scopes: [API_SCOPE], redirectUri: REDIRECT_URI }));
    expect(error.errorCode).toBe('invalid_client');
    expect(error.errorMessage).toMatch(/AADSTS7000215/);

    const response = await fetch(`${AUTHORITY}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: APPS.remoteServer, code: flow.code, redirect_uri: REDIRECT_URI }),
    });
    expect(response.status).toBe(401);
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
    expect(body.error_codes).toEqual([7000218]);
    expect(body.error_description).toMatch(/^AADSTS7000218: .* Trace ID: .* Correlation ID: .* Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  test('an unknown scope goes back to the redirect URI as invalid_scope AADSTS70011', async () => {
    const url = await remoteServer().getAuthCodeUrl({ scopes: [`api://${APPS.remoteServer}/nope`], redirectUri: REDIRECT_URI, state: 's1' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS70011:/);
    expect(location.searchParams.get('state')).toBe('s1');
  });

  test('two resources in one request fail with AADSTS28000; .default cannot be mixed', async () => {
    const tenant = fake.tenant();
    const base = `${AUTHORITY}/oauth2/v2.0/authorize?client_id=${APPS.remoteServer}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`;
    const twoResources = await tenant.signIn(`${base}&scope=${encodeURIComponent(`${API_SCOPE} User.Read`)}`, USERS.adele);
    expect(twoResources.searchParams.get('error_description')).toMatch(/^AADSTS28000:/);
    const mixed = await tenant.signIn(`${base}&scope=${encodeURIComponent('https://graph.microsoft.com/.default User.Read')}`, USERS.adele);
    expect(mixed.searchParams.get('error_description')).toMatch(/^AADSTS70011:/);
    const wrongResource = await tenant.signIn(`${base}&scope=${encodeURIComponent(API_SCOPE)}&resource=https://graph.microsoft.com`, USERS.adele);
    expect(wrongResource.searchParams.get('error_description')).toMatch(/^AADSTS9010010:/);
  });

  test('a permission nobody consented to needs the consent page; prompt=none says consent_required', async () => {
    const tenant = fake.tenant();
    const url = new URL(await remoteServer().getAuthCodeUrl({ scopes: ['User.ReadBasic.All'], redirectUri: REDIRECT_URI, state: 's2' }));
    await expect(tenant.signIn(url.href, USERS.megan)).rejects.toThrow(/consent: true/);

    const declined = new URL(url);
    declined.searchParams.set('consent', 'no');
    const refusal = await tenant.signIn(declined.href, USERS.megan);
    expect(refusal.searchParams.get('error')).toBe('access_denied');

    const signedIn = await tenant.signIn(url.href, USERS.megan, { consent: true });
    expect(signedIn.searchParams.get('code')).toBeTruthy();
    expect(tenant.model.consents).toContainEqual(
      expect.objectContaining({ clientAppId: APPS.remoteServer, principalId: USERS.megan, scopes: ['User.ReadBasic.All'] }),
    );

    // Adele is signed in (a session cookie) but never consented: a silent request cannot ask her.
    url.searchParams.set('prompt', 'login');
    const form = new URLSearchParams(url.searchParams);
    form.set('user', USERS.adele);
    form.set('consent', 'yes');
    const adele = await tenant.handle(new Request(`${url.origin}${url.pathname}`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(form), scope: 'User.Read' }) }));
    const cookie = adele.headers.get('set-cookie')!.split(';')[0]!;
    url.searchParams.set('prompt', 'none');
    const silent = await fetch(url, { redirect: 'manual', headers: { cookie } });
    const location = new URL(silent.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('consent_required');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS65001:/);
  });

  test('an unregistered redirect URI or unknown client is an HTML error page, never a redirect', async () => {
    const url = new URL(await remoteServer().getAuthCodeUrl({ scopes: [API_SCOPE], redirectUri: 'https://evil.example/callback' }));
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('AADSTS50011');

    url.searchParams.set('client_id', '00000000-0000-0000-0000-000000000001');
    const unknown = await fetch(url, { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS700016');
  });

  test('a public client loopback redirect URI matches on any port, and public clients must use PKCE', async () => {
    const tenant = fake.tenant();
    const base = `${AUTHORITY}/oauth2/v2.0/authorize?client_id=${APPS.localClient}&response_type=code&scope=User.Read&redirect_uri=${encodeURIComponent('http://localhost:53123/')}`;
    const noPkce = await tenant.signIn(base, USERS.adele);
    expect(noPkce.searchParams.get('error_description')).toMatch(/^AADSTS9002325:/);
    const plain = await tenant.signIn(`${base}&code_challenge=abc&code_challenge_method=plain`, USERS.adele);
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    const ok = await tenant.signIn(`${base}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`, USERS.adele);
    expect(ok.host).toBe('localhost:53123');
    expect(ok.searchParams.get('code')).toBeTruthy();
  });

  test('a code older than 10 minutes fails with AADSTS70008', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const flow = await authorize(remoteServer(), USERS.adele);
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const error = await serverError(flow.redeem());
    expect(error.errorMessage).toMatch(/AADSTS70008/);
  });

  test('a revoked refresh token fails with AADSTS50173, which msal treats as interaction required', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const msal = remoteServer();
    const first = await (await authorize(msal, USERS.adele)).redeem();
    fake.tenant().faults.revokeRefreshTokens('adele@contoso.onmicrosoft.com');
    vi.setSystemTime(Date.now() + 3600_000);
    const error = await msal.acquireTokenSilent({ account: first.account!, scopes: [API_SCOPE] }).then(
      () => new Error('the refresh should have failed'),
      (failure: Error) => failure,
    );
    expect(error.name).toBe('InteractionRequiredAuthError');
    expect(error.message).toMatch(/AADSTS50173/);
  });

  test('a refresh token works once: this tenant rotates them', async () => {
    const flow = await authorize(remoteServer(), USERS.adele);
    const tokenRequest = (params: Record<string, string>) =>
      fetch(`${AUTHORITY}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: APPS.remoteServer, client_secret: REMOTE_SERVER_SECRET, scope: `${API_SCOPE} offline_access`, ...params }),
      }).then(json);
    const first = await tokenRequest({ grant_type: 'authorization_code', code: flow.code, redirect_uri: REDIRECT_URI, code_verifier: flow.verifier });
    expect(first.refresh_token).toMatch(/^1\.A/);
    const second = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const replay = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay).toMatchObject({ error: 'invalid_grant', error_codes: [70000], suberror: 'bad_token' });
    await expect(tokenRequest({ grant_type: 'refresh_token', refresh_token: second.refresh_token })).resolves.toHaveProperty('access_token');
  });

  test('failNextToken makes the next token request fail with that code', async () => {
    const flow = await authorize(remoteServer(), USERS.adele);
    fake.tenant().faults.failNextToken(50076, 'invalid_grant', 'Due to a configuration change made by your administrator, you must use multi-factor authentication.');
    const error = await serverError(flow.redeem());
    expect(error.errorMessage).toMatch(/AADSTS50076/);
    await expect(flow.redeem()).resolves.toHaveProperty('accessToken');
  });
});
