// Step 03.3: the server's own session tokens: opaque, stored as hashes, expiring, single-use codes,
// the client's PKCE, refresh with rotation, revoke; and a bad token is a 401, never a 500.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { hop, location, MemoryClientProvider, requireSteps, signIn, signInAtEntra, startSignIn, tokenRequest, useLabServer, type StoreModule } from './helpers.ts';
import lab from './lab.ts';

const check = checksFor(lab);
const logLines: string[] = [];
let store: InstanceType<StoreModule['InMemoryTokenStore']>;
const { tenant, server } = useLabServer(async () => {
  // The target's own store, kept here so a check can look inside it.
  const { InMemoryTokenStore } = await importTarget<StoreModule>(lab, 'src/token-store.ts');
  store = new InMemoryTokenStore();
  return { store, logLines };
});
afterEach(() => {
  vi.useRealTimers();
});

/** The code and verifier the client holds after the browser comes back, not yet redeemed. */
async function codeFor(user: string) {
  const { provider, authorizeUrl } = await startSignIn(server());
  const back = location(await hop(await signInAtEntra(tenant, authorizeUrl, user)));
  return { provider, code: back.searchParams.get('code')!, clientId: provider.client!.client_id };
}

const redeem = (code: string, verifier: string, clientId: string, redirectUri: string) =>
  tokenRequest(server(), { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: redirectUri });

/** verifyAccessToken's answer to a token that must not work: InvalidTokenError (a 401), with a short message. */
async function expectRefused(token: string, why: string) {
  const error = await server().provider.verifyAccessToken(token).then(() => undefined, (caught: unknown) => caught);
  expect(error, `${why}: verifyAccessToken throws`).toBeInstanceOf(Error);
  expect(error, `${why}: an InvalidTokenError, which requireBearerAuth answers with 401 (any other error is a 500)`).toBeInstanceOf(InvalidTokenError);
  expect((error as Error).message, `${why}: a short message with no quotes (it goes into the WWW-Authenticate header)`).toMatch(/^[^"]{1,80}$/);
}

check('03.3.1', async () => {
  requireSteps('03.1', '03.2', '03.3');
  logLines.length = 0;
  const provider = await signIn(tenant, server(), USERS.adele);
  const tokens = provider.saved!;
  expect(tokens.token_type.toLowerCase(), 'the session token is a bearer token (token_type)').toBe('bearer');
  expect(tokens.expires_in, 'the session token expires (expires_in, seconds)').toBeGreaterThan(0);
  expect(tokens.access_token, "opaque: not a JWT, and not Entra's token").not.toContain('.');
  expect(JSON.stringify(tokens), 'no Entra token in the answer').not.toMatch(/eyJ[\w-]+\.eyJ/);
  expect(tokens.access_token.length, 'at least 256 random bits').toBeGreaterThanOrEqual(43);
  expect(JSON.stringify(store), 'the store keeps a hash of the session token, never the token').not.toContain(tokens.access_token);
  expect(JSON.stringify(store), 'nor the refresh token').not.toContain(tokens.refresh_token!);
  expect(logLines.join('\n'), 'the logs hold neither').not.toMatch(new RegExp(`${tokens.access_token}|${tokens.refresh_token}`));

  const info = await server().provider.verifyAccessToken(tokens.access_token);
  const now = Date.now() / 1000;
  expect(info.expiresAt, 'expiresAt is in epoch seconds (not milliseconds)').toBeGreaterThan(now);
  expect(info.expiresAt, 'and it expires when expires_in says, not later (epoch seconds)').toBeLessThanOrEqual(now + tokens.expires_in! + 5);
  expect(info.scopes, 'the session carries the mcp.tools scope').toContain('mcp.tools');
  expect(info.clientId, 'the session belongs to the MCP client that signed in (clientId)').toBe(provider.client!.client_id);
  expect(info.extra, 'and says who signed in').toMatchObject({ user: { oid: USERS.adele } });

  // A client that asks for more than this server grants gets what the server grants (step 1 decides, not the client).
  const { provider: greedy, authorizeUrl } = await startSignIn(server());
  authorizeUrl.searchParams.set('scope', 'mcp.tools mcp.admin');
  const greedyCode = location(await hop(await signInAtEntra(tenant, authorizeUrl, USERS.adele))).searchParams.get('code')!;
  const greedyTokens = await redeem(greedyCode, greedy.verifier!, greedy.client!.client_id, greedy.redirectUrl);
  const greedyToken = ((await greedyTokens.json()) as { access_token?: string }).access_token;
  expect(greedyToken, 'a client that asked for scope=mcp.tools mcp.admin still signs in').toBeTruthy();
  expect((await server().provider.verifyAccessToken(greedyToken!)).scopes, 'a client that asked for scope=mcp.tools mcp.admin got mcp.admin too: the pending sign-in must hold the one scope this server grants (MCP_SCOPE), whatever the client asked for').toEqual(['mcp.tools']);

  await expectRefused('not-a-token', 'a made-up token');
  await expectRefused(`${tokens.access_token.slice(0, -1)}${tokens.access_token.endsWith('x') ? 'y' : 'x'}`, 'an altered token');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + (tokens.expires_in! + 60) * 1000);
  await expectRefused(tokens.access_token, 'an expired session token');
});

check('03.3.2', async () => {
  requireSteps('03.1', '03.2', '03.3');
  const first = await codeFor(USERS.megan);
  const redirect = first.provider.redirectUrl;
  const wrong = await redeem(first.code, 'a'.repeat(43), first.clientId, redirect);
  expect(wrong.status, 'a wrong PKCE verifier: 400').toBe(400);
  expect(await wrong.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));

  const second = await codeFor(USERS.megan);
  const good = await redeem(second.code, second.provider.verifier, second.clientId, redirect);
  expect(good.status, 'the right verifier: tokens').toBe(200);
  const replay = await redeem(second.code, second.provider.verifier, second.clientId, redirect);
  expect(replay.status, 'the same code again: 400').toBe(400);
  const body = await replay.json();
  expect(body, 'invalid_grant').toEqual(expect.objectContaining({ error: 'invalid_grant' }));
  expect(body, 'and no token').not.toHaveProperty('access_token');

  // The redirect URI at /token must be the one the code was issued for at /authorize.
  const third = await codeFor(USERS.megan);
  const elsewhere = await redeem(third.code, third.provider.verifier, third.clientId, 'http://127.0.0.1:33418/elsewhere');
  expect(elsewhere.status, 'a code redeemed with another redirect_uri than the one given at /authorize: 400 (step 3: the same redirect URI)').toBe(400);
  expect(await elsewhere.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));

  // A code lives one minute: long enough for the client to redeem it at once, not to keep it.
  const late = await codeFor(USERS.megan);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 1000);
  const stale = await redeem(late.code, late.provider.verifier, late.clientId, redirect);
  expect(stale.status, 'a code redeemed two minutes after it was issued: 400 (it lives one minute: check its expiresAt)').toBe(400);
  expect(await stale.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));
});

check('03.3.3', async () => {
  requireSteps('03.1', '03.2', '03.3');
  const provider = await signIn(tenant, server(), USERS.alex);
  const first = provider.saved!;
  const clientId = provider.client!.client_id;
  const refresh = (token: string) => tokenRequest(server(), { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });

  const refreshed = await refresh(first.refresh_token!);
  expect(refreshed.status, 'the refresh token gives new tokens').toBe(200);
  const second = (await refreshed.json()) as { access_token: string; refresh_token: string };
  expect(second.access_token, 'a new access token, not the old one again').not.toBe(first.access_token);
  expect(second.refresh_token, 'and a new refresh token (rotation)').not.toBe(first.refresh_token);
  await expectRefused(first.access_token, 'the access token the refresh replaced');
  expect((await server().provider.verifyAccessToken(second.access_token)).extra, 'the new one is the same user').toMatchObject({ user: { oid: USERS.alex } });

  // Another client holds no grant of this one: neither its refresh token nor its revocation works for it.
  const otherId = (await startSignIn(server())).provider.client!.client_id;
  const foreignRefresh = await tokenRequest(server(), { grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: otherId });
  expect(foreignRefresh.status, "another client presents this client's refresh token: 400 (step 3: check the client)").toBe(400);
  expect(await foreignRefresh.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));
  const revoke = (token: string, client: string) =>
    fetch(new URL('/revoke', server().baseUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: client }) });
  expect((await revoke(second.access_token, otherId)).status, "another client revokes this client's token: answered (200, or an OAuth error), not a 500").toBeLessThan(500);
  const stillThere = await server().provider.verifyAccessToken(second.access_token).catch(() => undefined);
  expect(stillThere, "but the session lives on: revoke ends a session only for the client it belongs to (step 3)").toBeDefined();

  const revoked = await revoke(second.access_token, clientId);
  expect(revoked.status, '/revoke answers 200').toBe(200);
  await expectRefused(second.access_token, 'a revoked session token');
  expect((await refresh(second.refresh_token)).status, "and the revoked session's refresh token is dead too").toBe(400);

  // A refresh token lives 14 days: after that, the user signs in again.
  const idle = await signIn(tenant, server(), USERS.alex);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 15 * 24 * 60 * 60 * 1000);
  const expired = await tokenRequest(server(), { grant_type: 'refresh_token', refresh_token: idle.saved!.refresh_token!, client_id: idle.client!.client_id });
  expect(expired.status, 'a refresh token 15 days old (it lives 14): 400 (step 3: check its expiry)').toBe(400);
  expect(await expired.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));
});

check('03.3.4', async () => {
  requireSteps('03.1', '03.2', '03.3');
  logLines.length = 0;
  const owner = await signIn(tenant, server(), USERS.megan);
  const clientId = owner.client!.client_id;
  const refresh = (token: string) => tokenRequest(server(), { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });
  const stolen = owner.saved!.refresh_token!; // a copy someone kept

  // The owner refreshes twice (RT1 -> RT2 -> RT3); then the thief tries the first one.
  const second = (await (await refresh(stolen)).json()) as { access_token: string; refresh_token: string };
  const third = (await (await refresh(second.refresh_token)).json()) as { access_token: string; refresh_token: string };
  expect(third.access_token, 'two rotations give working tokens').toBeTruthy();
  const replay = await refresh(stolen);
  expect(replay.status, 'a refresh token already rotated out: 400').toBe(400);
  expect(await replay.json(), 'invalid_grant, and no token').toEqual(expect.objectContaining({ error: 'invalid_grant' }));

  // Someone else holds this grant: the server cannot tell who is the thief, so nobody keeps it.
  await expectRefused(third.access_token, "after the replay, the newest access token of that grant (the owner's)");
  const afterwards = await refresh(third.refresh_token);
  expect(afterwards.status, "and its newest refresh token: the whole grant has ended (step 3's exchangeRefreshToken: a used token found means deleteSession)").toBe(400);
  const event = logLines.find((line) => line.includes('refresh_token_reused'));
  expect(event, 'the replay is logged as a refresh_token_reused event').toBeDefined();
  expect(event, "with the user's oid").toContain(USERS.megan);
  expect(logLines.join('\n'), 'and never with the token').not.toContain(stolen);

  // A token from another sign-in is untouched: only the replayed grant ends.
  const other = await signIn(tenant, server(), USERS.megan);
  expect((await server().provider.verifyAccessToken(other.saved!.access_token)).extra, "Megan's other sign-in still works").toMatchObject({ user: { oid: USERS.megan } });
});

/** An MCP client that registers as a confidential client: the server gives it a client secret. */
class ConfidentialClientProvider extends MemoryClientProvider {
  override get clientMetadata() {
    return { ...super.clientMetadata, client_name: 'lab 03 check (confidential)', token_endpoint_auth_method: 'client_secret_post' };
  }
}

check('03.3.5', async () => {
  requireSteps('03.1', '03.2', '03.3');
  const { provider, authorizeUrl } = await startSignIn(server(), new ConfidentialClientProvider());
  const secret = (provider.client as { client_secret?: string }).client_secret;
  expect(secret, '/register gave the confidential client a secret').toBeTruthy();
  const kept = await store.getClient(provider.client!.client_id);
  expect(kept, 'the store has the client').toBeDefined();
  expect(JSON.stringify(kept), 'the store keeps the secret only as a hash, never as it was issued').not.toContain(secret!);

  const back = location(await hop(await signInAtEntra(tenant, authorizeUrl, USERS.adele)));
  const code = back.searchParams.get('code')!;
  const fields = { grant_type: 'authorization_code', code, code_verifier: provider.verifier, client_id: provider.client!.client_id, redirect_uri: provider.redirectUrl };
  const wrong = await tokenRequest(server(), { ...fields, client_secret: `${secret}x` });
  expect(wrong.status, 'a wrong client secret: refused').toBe(400);
  expect(await wrong.json(), 'answered invalid_client, as OAuth names a failed client authentication').toEqual(expect.objectContaining({ error: 'invalid_client' }));
  const hashed = await tokenRequest(server(), { ...fields, client_secret: (kept as { client_secret: string }).client_secret });
  expect(hashed.status, "the stored hash is not a secret anyone can present: refused").toBe(400);
  const right = await tokenRequest(server(), { ...fields, client_secret: secret! });
  expect(right.status, 'the secret the client was given still works at /token').toBe(200);
});
