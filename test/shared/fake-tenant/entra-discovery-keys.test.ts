// Discovery documents, the JWKS across a key rotation, the request log, and the offline guard.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { APPS, TENANT_DOMAIN, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

/** A JSON response body; checks read its fields freely. */
const json = (response: Response) => response.json() as Promise<Record<string, any>>;

const fake = useFakeTenant();
const ORIGIN = 'https://login.microsoftonline.com';

afterEach(() => {
  vi.useRealTimers();
});

async function appToken(): Promise<string> {
  const { REMOTE_SERVER_SECRET } = await import('#shared/fake-tenant/default-tenant.ts');
  const response = await fetch(`${ORIGIN}/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: APPS.remoteServer,
      client_secret: REMOTE_SERVER_SECRET,
      scope: `api://${APPS.remoteServer}/.default`,
    }),
  });
  return (await json(response)).access_token;
}

describe('discovery', () => {
  test('the OpenID configuration names this origin, for the tenant id, the domain and organizations', async () => {
    const byId = await json(await fetch(`${ORIGIN}/${TENANT_ID}/v2.0/.well-known/openid-configuration`));
    expect(byId).toMatchObject({
      issuer: `${ORIGIN}/${TENANT_ID}/v2.0`,
      authorization_endpoint: `${ORIGIN}/${TENANT_ID}/oauth2/v2.0/authorize`,
      token_endpoint: `${ORIGIN}/${TENANT_ID}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${ORIGIN}/${TENANT_ID}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${ORIGIN}/${TENANT_ID}/oauth2/v2.0/logout`,
      jwks_uri: `${ORIGIN}/${TENANT_ID}/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'NA',
    });
    expect(byId).not.toHaveProperty('code_challenge_methods_supported');
    const byDomain = await json(await fetch(`${ORIGIN}/${TENANT_DOMAIN}/v2.0/.well-known/openid-configuration`));
    expect(byDomain.issuer).toBe(`${ORIGIN}/${TENANT_ID}/v2.0`);
    const organizations = await json(await fetch(`${ORIGIN}/organizations/v2.0/.well-known/openid-configuration`));
    expect(organizations.issuer).toBe(`${ORIGIN}/{tenantid}/v2.0`);
    const unknown = await fetch(`${ORIGIN}/another-tenant.example/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error_codes).toEqual([90002]);
  });

  test('instance discovery has Entra\'s shape', async () => {
    const url = `${ORIGIN}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${ORIGIN}/${TENANT_ID}/oauth2/v2.0/authorize`)}`;
    const body = await json(await fetch(url));
    expect(body).toEqual({
      tenant_discovery_endpoint: `${ORIGIN}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [expect.objectContaining({ preferred_network: 'login.microsoftonline.com', aliases: expect.arrayContaining(['login.microsoftonline.com']) })],
    });
  });
});

describe('signing keys', () => {
  test('the JWKS publishes RS256 keys with kid and use', async () => {
    const jwks = await json(await fetch(`${ORIGIN}/${TENANT_ID}/discovery/v2.0/keys`));
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String), n: expect.any(String), e: 'AQAB' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  test('after a rotation, jose refetches the JWKS for the unknown kid and verifies the new token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tenant = fake.tenant();
    const jwks = createRemoteJWKSet(new URL(`${ORIGIN}/${TENANT_ID}/discovery/v2.0/keys`));
    const options = { issuer: `${ORIGIN}/${TENANT_ID}/v2.0`, audience: APPS.remoteServer };
    const before = await appToken();
    await jwtVerify(before, jwks, options);

    await tenant.faults.rotateKeys();
    const after = await appToken();
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    vi.setSystemTime(Date.now() + 31_000); // past jose's 30 s cooldown between refetches
    await expect(jwtVerify(after, jwks, options)).resolves.toBeDefined();
    await expect(jwtVerify(before, jwks, options), 'the previous key stays published').resolves.toBeDefined();
    expect(tenant.log.count('keys')).toBe(2);

    await tenant.faults.rotateKeys({ dropOld: true });
    const published = await json(await fetch(`${ORIGIN}/${TENANT_ID}/discovery/v2.0/keys`));
    expect(published.keys).toHaveLength(1);
    await expect(tenant.keys.verify(before)).rejects.toThrow();
  });
});

describe('request log', () => {
  test('records endpoint, grant type and status, never a secret', async () => {
    const tenant = fake.tenant();
    await appToken();
    await fetch(`${ORIGIN}/${TENANT_ID}/oauth2/v2.0/authorize?client_id=${APPS.remoteServer}&code_challenge=secret-ish&state=s3cr3t`);
    const entries = tenant.log.entries();
    expect(entries[0]).toMatchObject({ method: 'POST', host: 'login.microsoftonline.com', endpoint: 'token', grantType: 'client_credentials', status: 200 });
    expect(entries[1]!.path).not.toContain('s3cr3t');
    expect(entries[1]!.path).toContain('state=***');
    expect(JSON.stringify(entries)).not.toMatch(/fake~secret|eyJ/);
  });
});

describe('offline guard', () => {
  test('a request to any other host fails, naming the URL', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = await fetch('https://example.com/some/path?token=abc').catch((failure: Error) => failure);
    spy.mockRestore();
    expect(error).toBeInstanceOf(Error);
    const cause = (error as Error & { cause?: Error }).cause;
    expect(`${(error as Error).message} ${cause?.message ?? ''}`).toMatch(/Offline: GET https:\/\/example\.com\/some\/path was not sent/);
    expect(`${(error as Error).message} ${cause?.message ?? ''}`).not.toContain('token=abc');
  });
});

describe('msw response-clone workaround', () => {
  test('the Graph client still reads responses with the clones cancelled', async () => {
    const { Client } = await import('@microsoft/microsoft-graph-client');
    const graph = Client.init({ authProvider: (done) => done(null, 'not-a-real-token') });
    const outcome = await graph.api('/me').get().then(
      (body: unknown) => ({ body }),
      (error: { statusCode?: number }) => ({ status: error.statusCode }),
    );
    // Whatever Graph answers, the client received and parsed a complete response.
    expect(outcome).toSatisfy((value: { body?: unknown; status?: number }) => value.body !== undefined || typeof value.status === 'number');
    expect(fake.tenant().log.count((entry) => entry.host === 'graph.microsoft.com')).toBe(1);
  });
});
