// A hand run's tenant keeps its state between runs (saved-state.ts): a tenant started again from the
// file signs with the same keys (a Graph token issued before still works), redeems the refresh tokens it
// issued (and still refuses one already used), remembers consent; the file is the owner's alone, holds no
// token, and stays bounded.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { createDefaultModel } from '#shared/fake-tenant/default-tenant.ts';
import { GrantStore } from '#shared/fake-tenant/grants/store.ts';
import { readSavedState, SAVED_LIMITS, stateToSave } from '#shared/fake-tenant/saved-state.ts';
import { startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { httpsRequest } from './fixtures/https-client.ts';

const REDIRECT_URI = 'http://localhost:3000/auth/callback';
const API_SCOPE = `api://${APPS.remoteServer}/mcp.tools`;

let dir: string;
const running: StandaloneTenant[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-saved-state-'));
});
afterAll(async () => {
  await Promise.all(running.map((tenant) => tenant.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(stateFile: string): Promise<StandaloneTenant> {
  const tenant = await startStandaloneTenant({ port: 0, stateFile });
  running.push(tenant);
  return tenant;
}

/** A token request over HTTPS, as the lab server's MSAL makes it (the saving happens on the server's way in). */
async function token(tenant: StandaloneTenant, fields: Record<string, string>): Promise<Record<string, string>> {
  const response = await httpsRequest(`${tenant.authority}/oauth2/v2.0/token`, {
    ca: tenant.certificates.ca,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: APPS.remoteServer, client_secret: REMOTE_SERVER_SECRET, ...fields }).toString(),
  });
  return { status: String(response.status), ...(JSON.parse(response.body) as Record<string, string>) };
}

function authorizeUrl(tenant: StandaloneTenant, scope: string): string {
  const query = new URLSearchParams({ client_id: APPS.remoteServer, redirect_uri: REDIRECT_URI, response_type: 'code', scope, state: 'state-1' });
  return `${tenant.authority}/oauth2/v2.0/authorize?${query}`;
}

async function waitForFile(path: string): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if (await stat(path).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} was never written`);
}

describe('a hand run tenant started again from its saved state', () => {
  test('keeps its keys, its refresh tokens (used ones stay used), its consents; the file is mode 0600 and holds no token', async () => {
    const stateFile = join(dir, 'hand-run.json');
    const first = await start(stateFile);
    // Megan signs in and consents to the server's API; the server redeems the code, then trades the refresh
    // token for a Graph token.
    const code = (await first.tenant.signIn(authorizeUrl(first, `${API_SCOPE} offline_access`), USERS.megan, { consent: true })).searchParams.get('code')!;
    const signedIn = await token(first, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, scope: `${API_SCOPE} offline_access` });
    expect(signedIn.status).toBe('200');
    const forGraph = await token(first, { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token!, scope: 'https://graph.microsoft.com/User.Read offline_access' });
    expect(forGraph.status).toBe('200');
    await waitForFile(stateFile); // written a moment after the requests, before any close
    const kids = first.tenant.keys.jwks().keys.map((key) => key.kid);
    await first.close();

    const text = await readFile(stateFile, 'utf8');
    expect((await stat(stateFile)).mode & 0o777, 'readable by its owner alone').toBe(0o600);
    for (const secret of [signedIn.refresh_token!, forGraph.refresh_token!, forGraph.access_token!, code]) {
      expect(text.includes(secret), 'no refresh token, access token or code in the file: grants are kept by their hash').toBe(false);
    }

    const again = await start(stateFile);
    expect(again.tenant.keys.jwks().keys.map((key) => key.kid), 'the same signing keys').toEqual(kids);
    const me = await again.tenant.handle(new Request('https://graph.microsoft.com/v1.0/me', { headers: { authorization: `Bearer ${forGraph.access_token}` } }));
    expect(me.status, 'a Graph token issued before the restart still works: a lab server\'s cached token does not become a 401').toBe(200);
    const refreshed = await token(again, { grant_type: 'refresh_token', refresh_token: forGraph.refresh_token!, scope: 'https://graph.microsoft.com/User.Read offline_access' });
    expect(refreshed.status, 'the refresh token issued before the restart is redeemed').toBe('200');
    const replayed = await token(again, { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token!, scope: 'https://graph.microsoft.com/User.Read' });
    expect(replayed.error_codes, 'a refresh token already used before the restart is still refused as used (AADSTS70000)').toEqual([70000]);
    await expect(again.tenant.signIn(authorizeUrl(again, API_SCOPE), USERS.megan), 'her consent was kept: no consent page this time').resolves.toBeInstanceOf(URL);
  });

  test('a file it cannot read is ignored: the tenant starts afresh', async () => {
    const stateFile = join(dir, 'broken.json');
    await writeFile(stateFile, '{"version":1,"keys":"not keys"}');
    expect(await readSavedState(stateFile)).toBeUndefined();
    const tenant = await start(stateFile);
    expect(tenant.authority).toContain(TENANT_ID);
  });

  test('is bounded: the newest refresh tokens and sessions, up to the limits', () => {
    const grants = new GrantStore();
    for (let i = 0; i < SAVED_LIMITS.refreshTokens + 100; i += 1) grants.issueRefreshToken({ clientId: APPS.remoteServer, userId: USERS.megan, now: 1_000 + i });
    for (let i = 0; i < SAVED_LIMITS.sessions + 50; i += 1) grants.startSession(USERS.megan, 1_000 + i);
    const model = createDefaultModel();
    const saved = stateToSave({ keys: [{ kty: 'RSA', d: 'x' }], grants, model, initialConsents: model.consents, now: 2_000 });
    expect(saved.refreshTokens).toHaveLength(SAVED_LIMITS.refreshTokens);
    expect(Math.min(...saved.refreshTokens.map(([, grant]) => grant.lastUsedAt)), 'the newest are kept').toBe(1_100);
    expect(saved.sessions).toHaveLength(SAVED_LIMITS.sessions);
    expect(saved.consents, 'the built-in tenant\'s own consents are not repeated').toEqual([]);
  });
});
