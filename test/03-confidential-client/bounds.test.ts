// Step 03.7: everything the server remembers expires and is swept away; what an anonymous caller can
// make it remember (registrations, sign-ins in progress) is bounded in size and in number.
import { afterAll, expect, vi } from 'vitest';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { hop, location, requireSteps, signIn, signInAtEntra, startSignIn, useLabServer, type StoreModule } from './helpers.ts';
import lab from './lab.ts';

type Store = InstanceType<StoreModule['InMemoryTokenStore']>;

const check = checksFor(lab);
let store: Store;
const { tenant, server } = useLabServer(async () => {
  // The target's own store, kept here so a check can look inside it.
  const { InMemoryTokenStore } = await importTarget<StoreModule>(lab, 'src/token-store.ts');
  store = new InMemoryTokenStore();
  return { store };
});
afterAll(() => vi.useRealTimers());

const minutes = (n: number) => n * 60 * 1000;
const client = (id: string, extra: Partial<OAuthClientInformationFull> = {}): OAuthClientInformationFull => ({ client_id: id, redirect_uris: ['http://127.0.0.1:1/cb'], ...extra });

check('03.7.1', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.7');
  // One of everything: a sign-in left at Entra, a code never redeemed, a signed-in session.
  await hop((await startSignIn(server())).authorizeUrl);
  const unredeemed = await startSignIn(server());
  location(await hop(await signInAtEntra(tenant, unredeemed.authorizeUrl, USERS.adele)));
  await signIn(tenant, server(), USERS.megan);
  const now = Math.floor(Date.now() / 1000);
  await store.saveClient(client('expired-secret', { client_secret: 'hash', client_secret_expires_at: now + 60 }));
  await store.saveClient(client('secret-forever', { client_secret: 'hash', client_secret_expires_at: 0 }));
  const before = store.counts();
  expect(before.pending + before.codes + before.sessions, 'the store holds the sign-in in progress, the code and the session').toBeGreaterThanOrEqual(3);

  store.sweepExpired(now + 11 * 60);
  let after = store.counts();
  expect(after.pending, 'a sign-in in progress is forgotten once its 10 minutes are up (expiresAt)').toBe(0);
  expect(after.codes, 'an unredeemed code is forgotten after its minute (expiresAt)').toBe(0);
  expect(await store.getClient('expired-secret'), "a client whose secret has expired is forgotten (client_secret_expires_at)").toBeUndefined();
  expect(await store.getClient('secret-forever'), 'a client_secret_expires_at of 0 means the secret never expires: the client stays').toBeDefined();

  store.sweepExpired(now + 2 * 60 * 60);
  after = store.counts();
  expect(after.sessions, 'two hours on, a session whose access token has expired stays: its refresh token still works (refreshExpiresAt, not accessExpiresAt)').toBe(before.sessions);

  store.sweepExpired(now + 15 * 24 * 60 * 60);
  after = store.counts();
  expect(after.sessions, 'a session is forgotten once its refresh token has expired (refreshExpiresAt)').toBe(0);

  // Nobody has to call sweepExpired: the store sweeps by itself on a later write.
  await hop((await startSignIn(server())).authorizeUrl);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + minutes(11));
  await hop((await startSignIn(server())).authorizeUrl);
  expect(store.counts().pending, 'eleven minutes later, the next sign-in finds the old one swept away').toBe(1);
  vi.useRealTimers();
});

check('03.7.2', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.7');
  const { REQUEST_LIMITS } = await importTarget<typeof import('../../labs/03-confidential-client/src/auth-provider.ts')>(lab, 'src/auth-provider.ts');
  const { STORE_LIMITS } = await importTarget<StoreModule>(lab, 'src/token-store.ts');

  const { authorizeUrl } = await startSignIn(server());
  const pendingBefore = store.counts().pending;
  const huge = new URL(authorizeUrl);
  huge.searchParams.set('state', 's'.repeat(REQUEST_LIMITS.state + 1));
  const refused = await hop(huge);
  expect(refused.status, `a state of ${REQUEST_LIMITS.state + 1} characters: 400, not kept for ten minutes`).toBe(400);
  expect(refused.headers.get('location'), 'and no redirect').toBeNull();
  expect(store.counts().pending, 'nothing was remembered').toBe(pendingBefore);

  const register = (metadata: Record<string, unknown>) =>
    fetch(new URL('/register', server().baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata }) });
  const clientsBefore = store.counts().clients;
  for (const [what, metadata] of Object.entries({
    [`${REQUEST_LIMITS.redirectUris + 1} redirect URIs`]: { redirect_uris: Array.from({ length: REQUEST_LIMITS.redirectUris + 1 }, (_, i) => `http://127.0.0.1:${i + 1000}/cb`) },
    'a redirect URI too long': { redirect_uris: [`http://127.0.0.1:1/${'x'.repeat(REQUEST_LIMITS.redirectUri)}`] },
    [`metadata over ${REQUEST_LIMITS.clientMetadataBytes} bytes`]: { redirect_uris: ['http://127.0.0.1:1/cb'], client_name: 'n'.repeat(REQUEST_LIMITS.clientMetadataBytes) },
  })) {
    const response = await register(metadata);
    expect(response.status, `a registration with ${what}: 400`).toBe(400);
    expect(await response.json(), 'invalid_client_metadata').toEqual(expect.objectContaining({ error: 'invalid_client_metadata' }));
  }
  expect(store.counts().clients, 'none of them was kept').toBe(clientsBefore);

  // The caps, on a store of its own: a flood pushes out the oldest, never a client someone signed in with.
  const { InMemoryTokenStore } = await importTarget<StoreModule>(lab, 'src/token-store.ts');
  const flooded: Store = new InMemoryTokenStore();
  const inUse = client('signed-in-client');
  await flooded.saveClient(inUse);
  await flooded.saveSession({ id: 's1', clientId: inUse.client_id, scopes: [], resource: 'http://127.0.0.1:1/', user: { oid: 'o', homeAccountId: 'o.t' }, accessTokenHash: 'a', accessExpiresAt: 2e9, refreshTokenHash: 'r', refreshExpiresAt: 2e9 });
  for (let i = 0; i < STORE_LIMITS.registeredClients + 50; i++) await flooded.saveClient(client(`flood-${i}`));
  const pending = { clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', codeChallenge: 'x', scopes: [], entraVerifier: 'v', entraNonce: 'n', expiresAt: 2e9 };
  for (let i = 0; i < STORE_LIMITS.pendingSignIns + 50; i++) await flooded.savePendingSignIn(`state-${i}`, pending);
  const counts = flooded.counts();
  expect(counts.clients, `at most ${STORE_LIMITS.registeredClients} registered clients`).toBe(STORE_LIMITS.registeredClients);
  expect(await flooded.getClient(inUse.client_id), 'the client with a live session survives the flood').toBeDefined();
  expect(await flooded.getClient('flood-0'), 'the oldest unused client made room').toBeUndefined();
  expect(counts.pending, `at most ${STORE_LIMITS.pendingSignIns} sign-ins in progress`).toBe(STORE_LIMITS.pendingSignIns);
  expect(await flooded.takePendingSignIn(`state-${STORE_LIMITS.pendingSignIns + 49}`), 'the newest sign-in is kept').toBeDefined();
});
