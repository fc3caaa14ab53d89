// Step 02.1: the token cache on disk, encrypted, with the real msal-node reading and writing it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicClientApplication } from '@azure/msal-node';
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { watchFiles, type FileSighting, type Snapshot } from '#shared/workbook/watch-files.ts';
import { localClientSettings, newKey, personWhoApproves, tempCacheDir, TENANT_OPTIONS, tokenCache, tokenRequests } from './helpers.ts';
import lab from './lab.ts';

type CacheKeyModule = typeof import('../../labs/02-public-client/src/cache-key.ts');
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);

check('02.1.1', async () => {
  const { encryptCache, decryptCache } = await tokenCache();
  const key = newKey();
  const plaintext = JSON.stringify({ RefreshToken: { one: { secret: `1.A-refresh-${key.toString('hex').slice(0, 8)}` } } });
  const first = encryptCache(plaintext, key);
  const second = encryptCache(plaintext, key);
  expect(first.toString('latin1'), 'the encrypted cache does not contain the plain text').not.toContain('1.A-refresh');
  expect(first.equals(second), 'a fresh random IV each time: the same cache encrypts differently twice').toBe(false);
  expect(decryptCache(first, key), 'decryptCache gives back exactly what encryptCache was given').toBe(plaintext);
  expect(decryptCache(second, key), 'and the second encryption decrypts to the same text').toBe(plaintext);

  expect(() => decryptCache(first, newKey()), 'another key is refused (GCM\'s authentication tag does not match)').toThrow();
  const tampered = Buffer.from(first);
  tampered[tampered.length - 1]! ^= 1;
  expect(() => decryptCache(tampered, key), 'a changed byte is refused, not decrypted into garbage').toThrow();
});

check('02.1.2', async () => {
  const { fileCachePlugin } = await tokenCache();
  const settings = localClientSettings();
  const dir = tempCacheDir();
  const path = join(dir, 'token-cache.bin');

  // The key file (cache-key.ts), made on first use: yours alone from its first byte, the same key next time.
  const { cacheKey } = await importTarget<CacheKeyModule>(lab, 'src/cache-key.ts');
  const { result: key, snapshots: keySnapshots } = await watchFiles(dir, async () => cacheKey(dir, {}));
  expect(key.length, 'the generated key is 32 bytes (AES-256)').toBe(32);
  expect((statSync(join(dir, 'token-cache.key')).mode & 0o777).toString(8), 'the key file token-cache.key has mode 0600: whoever reads it decrypts the cache').toBe('600');
  expect(exposedFiles(keySnapshots), 'the key file is never readable by others, even for a moment').toEqual([]);
  expect(cacheKey(dir, {}).equals(key), 'the key file is read again on the next start').toBe(true);

  const app = (cacheKey: Buffer) =>
    new PublicClientApplication({
      auth: { clientId: settings.localClientId, authority: settings.authority },
      cache: { cachePlugin: fileCachePlugin({ path, key: cacheKey, warn: () => {} }) },
    });
  // A stale cache file from an older version (plain, empty, mode 0644): it cannot be decrypted, so it is set
  // aside, and the first save replaces it with a new file rather than rewriting it.
  writeFileSync(path, '{}', { mode: 0o644 });
  const stale = statSync(path).ino;
  const person = personWhoApproves(tenant, USERS.megan);
  const { result, snapshots } = await watchFiles(dir, () =>
    app(key)
      .acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: person.onDeviceCode })
      .catch((error: Error) => {
        if (error.name === 'TodoError') throw error;
        throw new Error(`a cache file that cannot be decrypted is set aside with a warning and the sign-in goes on, but it failed: ${error.message}`, { cause: error });
      }),
  );

  const file = readFileSync(path);
  expect((statSync(path).mode & 0o777).toString(8), 'the cache file is readable and writable by you alone (0600)').toBe('600');
  expect(
    exposedFiles(snapshots, (seen) => seen.file === 'token-cache.bin' && seen.ino === stale),
    'the cache is never readable by others, even for a moment: create the temporary file with mode 0600, do not chmod it afterwards',
  ).toEqual([]);
  expect(statSync(path).ino, 'the cache file is replaced in one step (write a temporary file, then renameSync it over the cache), not rewritten in place').not.toBe(stale);
  expect(readdirSync(dir).sort(), 'no temporary file is left behind').toEqual(['token-cache.bin', 'token-cache.key']);
  const text = file.toString('latin1');
  expect(text, 'the access token is not in the file in plain text').not.toContain(result!.accessToken.slice(-40));
  expect(text, 'no refresh token, account or JSON in plain text').not.toMatch(/RefreshToken|megan@|"secret"/);

  // A restart: a new msal instance with the same file and key finds Megan and her token, and asks nobody.
  const before = tokenRequests(tenant);
  const restarted = app(key);
  const [account] = await restarted.getAllAccounts();
  expect(account?.username, 'after a restart the cache still holds the signed-in account').toBe('megan@contoso.onmicrosoft.com');
  const silent = await restarted.acquireTokenSilent({ account: account!, scopes: ['User.Read'] });
  expect(silent.accessToken, 'the cached access token is used').toBe(result!.accessToken);
  expect(tokenRequests(tenant) - before, 'no token request after the restart').toBe(0);

  expect(await app(newKey()).getAllAccounts(), 'with another key the cache cannot be read: no account').toEqual([]);
  writeFileSync(path, Buffer.concat([file.subarray(0, -1), Buffer.from([file.at(-1)! ^ 1])]));
  expect(await app(key).getAllAccounts(), 'a changed file is not trusted: no account').toEqual([]);

  // A cache in plain text (someone put theirs in your folder): it cannot be authenticated, so it is not used.
  const plain = new PublicClientApplication({ auth: { clientId: settings.localClientId, authority: settings.authority } });
  await plain.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: personWhoApproves(tenant, USERS.alex).onDeviceCode });
  writeFileSync(path, plain.getTokenCache().serialize());
  expect(await app(key).getAllAccounts(), 'a cache file in plain text is not trusted (never read a file you cannot authenticate): no account').toEqual([]);
});

/** Files other than `ignore` that were readable or writable by others at some moment. */
function exposedFiles(snapshots: Snapshot[], ignore: (seen: FileSighting) => boolean = () => false): string[] {
  return snapshots.flatMap(({ after, files }) => files.filter((seen) => !ignore(seen) && (seen.mode & 0o077) !== 0).map((seen) => `${seen.file} was ${seen.mode.toString(8)} after ${after}`));
}
