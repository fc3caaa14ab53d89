// Step 02.1: the token cache on disk, encrypted, with the real msal-node reading and writing it.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicClientApplication } from '@azure/msal-node';
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { localClientSettings, newKey, personWhoApproves, tempCacheDir, tokenCache, tokenRequests } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant({ deviceCodeIntervalSeconds: 1 });
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
  expect(decryptCache(second, key)).toBe(plaintext);

  expect(() => decryptCache(first, newKey()), 'another key is refused (GCM\'s authentication tag does not match)').toThrow();
  const tampered = Buffer.from(first);
  tampered[tampered.length - 1]! ^= 1;
  expect(() => decryptCache(tampered, key), 'a changed byte is refused, not decrypted into garbage').toThrow();
});

check('02.1.2', async () => {
  const { fileCachePlugin } = await tokenCache();
  const settings = localClientSettings();
  const path = join(tempCacheDir(), 'token-cache.bin');
  const key = newKey();
  const app = (cacheKey: Buffer) =>
    new PublicClientApplication({
      auth: { clientId: settings.localClientId, authority: settings.authority },
      cache: { cachePlugin: fileCachePlugin({ path, key: cacheKey, warn: () => {} }) },
    });
  const person = personWhoApproves(tenant, USERS.megan);
  const result = await app(key).acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: person.onDeviceCode });

  const file = readFileSync(path);
  expect((statSync(path).mode & 0o777).toString(8), 'the cache file is readable and writable by you alone (0600)').toBe('600');
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
});
