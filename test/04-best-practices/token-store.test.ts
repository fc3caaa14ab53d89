// Step 04.5: the encrypted, persistent token store: sessions survive a restart, the file gives nothing
// away and is written atomically with mode 0600, tampering is detected, and keys can rotate.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import type { Session } from '../../labs/03-confidential-client/src/token-store.ts';
import { collectLog } from '../03-confidential-client/helpers.ts';
import lab03 from '../03-confidential-client/lab.ts';
import { CHECK_TENANT, connect, requireSteps, signIn, startLabServer } from './helpers.ts';
import lab from './lab.ts';

type StoreModule = typeof import('../../labs/04-best-practices/src/encrypted-token-store.ts');
type SealedFileModule = typeof import('../../labs/04-best-practices/src/sealed-file.ts');
type StoreKeysModule = typeof import('../../labs/04-best-practices/src/store-keys.ts');
type SecretsModule = typeof import('../../labs/03-confidential-client/src/secrets.ts');
// The store keys sessions by their tokens' hashes, made by lab 03's hashSecret: the target's own lab 03.
const { hashSecret } = await importTarget<SecretsModule>(lab03, 'src/secrets.ts');
const sealedFile = () => importTarget<SealedFileModule>(lab, 'src/sealed-file.ts');

const { tenant } = useFakeTenant(CHECK_TENANT);
const check = checksFor(lab);
const dir = mkdtempSync(join(tmpdir(), 'lab04-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newKey = (id: string) => ({ id, key: randomBytes(32) });
const openStore = async (path: string, keys: { current: { id: string; key: Buffer }; previous: Array<{ id: string; key: Buffer }> }, lines: string[] = []) => {
  const { EncryptedFileTokenStore } = await importTarget<StoreModule>(lab, 'src/encrypted-token-store.ts');
  return EncryptedFileTokenStore.open({ path, keys, log: collectLog(lines) });
};

/** The key ids the journal's lines name, each once. */
const keyIdsIn = (path: string) => [...new Set(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { keyId: string }).keyId))];

/** A session as lab 03's provider stores it, for the checks that need no sign-in. */
function aSession(oid: string): { session: Session; accessToken: string } {
  const accessToken = randomBytes(32).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return {
    accessToken,
    session: {
      id: randomBytes(8).toString('hex'),
      clientId: 'client-1',
      scopes: ['mcp.tools'],
      resource: 'http://127.0.0.1:1/mcp',
      user: { oid, homeAccountId: `${oid}.tid`, name: 'Megan Bowen' },
      accessTokenHash: hashSecret(accessToken),
      accessExpiresAt: now + 3600,
      refreshTokenHash: hashSecret(randomBytes(32).toString('base64url')),
      refreshExpiresAt: now + 86400,
    },
  };
}

check('04.5.1', async () => {
  requireSteps('04.5');
  const path = join(dir, 'restart', 'token-store.json');
  const keys = { current: newKey('2026-11'), previous: [] };
  let store = await openStore(path, keys);
  let server = await startLabServer(tenant, { store, msalCache: store.msalCachePlugin() });
  const port = Number(new URL(server.baseUrl).port);
  const megan = await signIn(tenant, server, USERS.megan);
  const identity = (await server.provider.verifyAccessToken(megan.saved!.access_token)).extra as { user: { homeAccountId: string; oid: string } };
  await server.graphTokens.getToken(identity.user as never);
  await server.close();

  const text = readFileSync(path, 'utf8');
  expect(statSync(path).mode & 0o777, 'the store file is readable by its owner only (0600)').toBe(0o600);
  expect(readdirSync(join(dir, 'restart')).filter((name) => name.endsWith('.tmp')), 'no temporary file left behind').toEqual([]);
  expect(text.match(/eyJ[\w-]+\.eyJ[\w-]+/g) ?? [], "no JWT (MSAL's cached Entra tokens) in the file").toEqual([]);
  // Whole values only: a short word such as "megan", compared without case, turns up in a few kilobytes
  // of random base64 about once in three thousand runs (a false failure seen in CI); '@' never does.
  for (const [what, value] of Object.entries({
    "the session token's hash": hashSecret(megan.saved!.access_token),
    "Megan's oid": USERS.megan,
    "Megan's sign-in name": 'megan@contoso.onmicrosoft.com',
    "MSAL's refresh token entry": 'RefreshToken',
  })) expect(text.toLowerCase().includes(value.toLowerCase()), `${what} is in the file in plain text: encrypt the whole store`).toBe(false);
  // GCM with one key must never see the same IV twice: each line of the journal, and each seal, gets a fresh one.
  const ivs = text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { iv: string }).iv);
  expect(new Set(ivs).size, `${ivs.length} sealed lines under one key use ${new Set(ivs).size} distinct IVs: seal must draw a fresh random 12-byte IV for every write, never reuse one (step 5 of the README)`).toBe(ivs.length);
  const { seal } = await sealedFile();
  const [once, twice] = [seal('the same text', keys.current), seal('the same text', keys.current)];
  expect(twice.iv, 'sealing the same text twice with one key used the same IV: draw randomBytes(12) on every call').not.toBe(once.iv);
  expect(Buffer.from(once.iv, 'base64').length, 'the IV is 12 random bytes (GCM\'s standard nonce size)').toBe(12);
  expect(twice.data, 'the same text sealed twice gives the same ciphertext: anyone comparing files learns which entries did not change').not.toBe(once.data);

  // Without TOKEN_STORE_KEYS the key is generated beside the store: it must be as private as the store.
  const { storeSettings } = await importTarget<StoreKeysModule>(lab, 'src/store-keys.ts');
  const generated = storeSettings({ TOKEN_STORE_PATH: join(dir, 'generated-key', 'token-store.json') });
  expect(generated.keys.current.key.length, 'a generated key has 32 bytes').toBe(32);
  expect(statSync(join(dir, 'generated-key', 'token-store.key')).mode & 0o777, 'the generated key file is readable by its owner only (0600)').toBe(0o600);

  // A restart: a new process would open the same file with the same key.
  store = await openStore(path, keys);
  server = await startLabServer(tenant, { store, msalCache: store.msalCachePlugin(), port });
  try {
    tenant().log.clear();
    const { client } = await connect(server, megan);
    await client.close();
    await server.graphTokens.getToken(identity.user as never);
    expect(tenant().log.count('authorize'), 'after the restart nobody signs in again').toBe(0);
    expect(tenant().log.count('token'), "and Megan's Entra tokens came back from the store (no token request)").toBe(0);
  } finally {
    await server.close();
  }
});

check('04.5.2', async () => {
  requireSteps('04.5');
  const path = join(dir, 'tamper', 'token-store.json');
  const keys = { current: newKey('k1'), previous: [] };
  const { session, accessToken } = aSession(USERS.megan);
  await (await openStore(path, keys)).saveSession(session);

  // The file is a journal: one sealed record per line. Flip one bit in the middle of a line's ciphertext.
  const journal = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const sealed = JSON.parse(journal[0]!) as Record<string, string>;
  const field = Object.keys(sealed).find((key) => typeof sealed[key] === 'string' && sealed[key]!.length > 40)!;
  const bytes = Buffer.from(sealed[field]!, 'base64');
  bytes[bytes.length >> 1]! ^= 0x01;
  journal[0] = JSON.stringify({ ...sealed, [field]: bytes.toString('base64') });
  writeFileSync(path, `${journal.join('\n')}\n`, { mode: 0o600 });

  const lines: string[] = [];
  const reopened = await openStore(path, keys, lines);
  expect(await reopened.sessionByAccessToken(hashSecret(accessToken)), 'a tampered store is not trusted: its sessions are gone').toBeUndefined();
  expect(lines.join('\n'), 'and the rejection is reported in the log (token_store_rejected)').toContain('token_store_rejected');
  expect(readdirSync(join(dir, 'tamper')).some((name) => name.includes('rejected')), 'the rejected file is kept aside for investigation').toBe(true);

  await reopened.saveSession(session);
  const wrongKey = await openStore(path, { current: { id: 'k1', key: randomBytes(32) }, previous: [] }, lines);
  expect(await wrongKey.sessionByAccessToken(hashSecret(accessToken)), 'the right key id with the wrong key: rejected too').toBeUndefined();

  // A file sealed with a key the server does not have (retired too early, or another server's): rejected the same way.
  await wrongKey.saveSession(session);
  lines.length = 0;
  const unknownKey = await openStore(path, { current: newKey('k9'), previous: [] }, lines).catch((error: Error) => error);
  expect(unknownKey, `a store sealed with a key id the server does not know stopped the server (${(unknownKey as Error).message}): unseal turns an unknown key id into a TamperedStoreError too`).not.toBeInstanceOf(Error);
  expect(await (unknownKey as Awaited<ReturnType<typeof openStore>>).sessionByAccessToken(hashSecret(accessToken)), 'a store sealed with an unknown key: not trusted').toBeUndefined();
  expect(lines.join('\n'), 'and reported (token_store_rejected)').toContain('token_store_rejected');

  // unseal itself: anything changed is a TamperedStoreError, never data.
  const { seal, unseal, TamperedStoreError } = await sealedFile();
  const same = randomBytes(32);
  const twoIds = { current: { id: 'a', key: same }, previous: [{ id: 'b', key: same }] };
  const sealedOnce = seal('{"entry":"sealed"}', twoIds.current);
  expect(unseal(sealedOnce, twoIds), 'unseal opens what seal sealed').toBe('{"entry":"sealed"}');
  const flip = (base64: string) => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[0]! ^= 0x01;
    return bytes.toString('base64');
  };
  for (const [what, file] of [
    ['one bit of the data flipped', { ...sealedOnce, data: flip(sealedOnce.data) }],
    ['one bit of the tag flipped', { ...sealedOnce, tag: flip(sealedOnce.tag) }],
    ['one bit of the IV flipped', { ...sealedOnce, iv: flip(sealedOnce.iv) }],
    ['the key id changed to another id of the same key (the key id is authenticated data: setAAD)', { ...sealedOnce, keyId: 'b' }],
    ['a key id the server does not know', { ...sealedOnce, keyId: 'nobody' }],
  ] as const) {
    let outcome: unknown;
    try {
      outcome = unseal(file, twoIds);
    } catch (error) {
      outcome = error;
    }
    expect(outcome instanceof TamperedStoreError, `unseal with ${what} must throw a TamperedStoreError, never return data (got ${outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : JSON.stringify(outcome)})`).toBe(true);
  }
});

check('04.5.3', async () => {
  requireSteps('04.5');
  const path = join(dir, 'rotate', 'token-store.json');
  const oldKey = newKey('2026-05');
  const newer = newKey('2026-11');
  const { session, accessToken } = aSession(USERS.adele);
  await (await openStore(path, { current: oldKey, previous: [] })).saveSession(session);
  expect(keyIdsIn(path), 'the file names the key that sealed it').toEqual(['2026-05']);

  const rotated = await openStore(path, { current: newer, previous: [oldKey] });
  expect(await rotated.sessionByAccessToken(hashSecret(accessToken)), 'after the rotation the old session is still there').toMatchObject({ id: session.id });
  expect(keyIdsIn(path), 'and the store was re-sealed with the new key: every line').toEqual(['2026-11']);
  expect(statSync(path).mode & 0o777, 'the re-sealed file (written by writeAtomically) is readable by its owner only: mode 0o600 on the temporary file').toBe(0o600);
  expect(readdirSync(join(dir, 'rotate')).filter((name) => name.endsWith('.tmp')), 'no temporary file left behind').toEqual([]);

  const oldKeyRetired = await openStore(path, { current: newer, previous: [] });
  expect(await oldKeyRetired.sessionByAccessToken(hashSecret(accessToken)), 'so the old key can be retired').toMatchObject({ id: session.id });
});

check('04.5.4', async () => {
  requireSteps('04.5');
  const path = join(dir, 'journal', 'token-store.json');
  const keys = { current: newKey('k1'), previous: [] };
  const store = await openStore(path, keys);
  const sessions = Array.from({ length: 50 }, (_, i) => aSession(i % 2 ? USERS.adele : USERS.megan));
  for (const { session } of sessions) await store.saveSession(session);
  const full = statSync(path).size;

  await store.saveSession(aSession(USERS.alex).session);
  const oneMore = statSync(path).size - full;
  expect(oneMore, `one more session grew the ${full}-byte file by ${oneMore} bytes: a write costs what changed (one sealed line), not the whole store`).toBeLessThan(full / 10);
  const pending = { clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', codeChallenge: 'x', scopes: [], entraVerifier: 'v', entraNonce: 'n', expiresAt: Math.floor(Date.now() / 1000) + 600 };
  for (let i = 0; i < 100; i++) await store.savePendingSignIn(`state-${i}`, pending);
  const code = { clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', codeChallenge: 'x', scopes: [], resource: 'http://127.0.0.1:1/mcp', user: aSession(USERS.megan).session.user, expiresAt: Math.floor(Date.now() / 1000) + 60 };
  for (let i = 0; i < 100; i++) await store.saveCode(`code-${i}`, code);
  expect(statSync(path).size - full - oneMore, 'sign-ins in progress (ten minutes) are not written to disk at all').toBe(0);

  // Rewriting the same entries over and over: the file is compacted instead of growing for ever.
  const { session: churn } = aSession(USERS.megan);
  for (let i = 0; i < 400; i++) await store.saveSession({ ...churn, accessExpiresAt: churn.accessExpiresAt + i });
  expect(statSync(path).size, 'after 400 rewrites of one session, compaction keeps the file near its live size').toBeLessThan(3 * (full + oneMore) + 64 * 1024);
  const reopened = await openStore(path, keys);
  expect(await reopened.sessionByAccessToken(churn.accessTokenHash), 'and the latest version of every entry survives a restart').toMatchObject({ accessExpiresAt: churn.accessExpiresAt + 399 });
  expect(reopened.counts().sessions, 'all 52 sessions are there').toBe(52);
  expect(reopened.counts().pending, 'sign-ins in progress stay in memory only: none comes back after a restart').toBe(0);
  expect(reopened.counts().codes, 'one-minute codes stay in memory only: none comes back after a restart').toBe(0);

  // A line cut out of the middle (a revocation, say, to bring a session back) is noticed like a changed byte.
  const journal = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  journal.splice(journal.length >> 1, 1);
  writeFileSync(path, `${journal.join('\n')}\n`, { mode: 0o600 });
  const lines: string[] = [];
  const cut = await openStore(path, keys, lines);
  expect(cut.counts().sessions, 'a journal with a line missing is not trusted').toBe(0);
  expect(lines.join('\n'), 'and is reported (token_store_rejected)').toContain('token_store_rejected');

  // writeAtomically replaces the file, never rewrites it in place: a reader that opened the old file
  // (or a crash half-way) sees the old file whole, or the new one, never half of each.
  const { writeAtomically } = await sealedFile();
  const atomic = join(dir, 'journal', 'atomic.json');
  const before = `${'old line\n'.repeat(4096)}`;
  await writeAtomically(atomic, before);
  const reader = openSync(atomic, 'r');
  try {
    await writeAtomically(atomic, `${'new line\n'.repeat(1024)}`);
    const seen = Buffer.alloc(before.length + 16);
    const read = readSync(reader, seen, 0, seen.length, 0);
    expect(seen.subarray(0, read).toString('utf8') === before, 'a reader that opened the file before writeAtomically still reads the whole old file: write a temporary file, then rename it over the store (never write the store in place)').toBe(true);
  } finally {
    closeSync(reader);
  }
  expect(readFileSync(atomic, 'utf8'), 'and the file now holds the new text').toBe('new line\n'.repeat(1024));
  expect(statSync(atomic).mode & 0o777, 'written with mode 0600').toBe(0o600);
});
