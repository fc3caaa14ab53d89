// Lab 02, break it: an attacker who gets at your token cache file. Two copies of it (Monday's backup and
// Tuesday's) and a cache they already know; one copy, searched for a token and loaded into the attacker's
// own msal; write access to your folder, to change the file or swap in a cache of their own. And one who
// reads the MCP client's log files and the chat, where your server's stderr and its sign-in prompt land.
// `npm start -- break 02` runs these against your code; they are not part of the grade.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicClientApplication } from '@azure/msal-node';
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { attacksFor } from '#shared/workbook/break-it/attack.ts';
import { authenticationService, captureOutput, localClientSettings, newKey, personWhoApproves, promptOf, tempCacheDir, TENANT_OPTIONS, tokenCache, tokenOnceSignedIn } from './helpers.ts';
import lab from './lab.ts';

const attack = attacksFor(lab);
const { tenant } = useFakeTenant(TENANT_OPTIONS);

/** Step 1's three pieces, reached once each, as the checks do: on the starter, its TODO stops the attack. */
async function yourTokenCache() {
  const module = await tokenCache();
  const key = newKey();
  module.decryptCache(module.encryptCache('{}', key), key);
  return module;
}

/** A cache as msal serializes it, holding one refresh token (the same length for every token given). */
const cacheWith = (refreshToken: string) =>
  JSON.stringify({ Account: {}, RefreshToken: { 'megan-refreshtoken': { credential_type: 'RefreshToken', secret: refreshToken } } });

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, index) => byte ^ b[index]!));
}

attack('02.1.1', 'compare two copies of the cache file, encrypted with the same key', async (say) => {
  const { encryptCache } = await yourTokenCache();
  const key = newKey();
  const mondayToken = say.secret(`1.AQ-monday-${randomBytes(24).toString('hex')}`, "Monday's refresh token");
  const tuesdayToken = say.secret(`1.AQ-tuesday${randomBytes(24).toString('hex')}`, "Tuesday's refresh token");
  const monday = Buffer.from(cacheWith(mondayToken));
  const tuesday = Buffer.from(cacheWith(tuesdayToken));
  say.note("The attacker holds Monday's and Tuesday's backups of your cache file, not the key. Monday's cache is known to them");
  say.note('(most of a cache is msal\'s fixed layout, and an old refresh token turns up in a log): can they read Tuesday\'s?');

  const mondayFile = encryptCache(monday.toString('utf8'), key);
  const tuesdayFile = encryptCache(tuesday.toString('utf8'), key);
  say.send(`encryptCache(Monday's cache), encryptCache(Tuesday's cache): two files of ${mondayFile.length} and ${tuesdayFile.length} bytes`);
  const sameStart = mondayFile.subarray(0, 12).equals(tuesdayFile.subarray(0, 12));
  say.answer(`their first 12 bytes (where the IV goes) are ${sameStart ? 'the same in both files' : 'different'}`);

  // XOR the files at every alignment: where the XOR of the ciphertexts is the XOR of the caches, both were
  // encrypted with the same keystream (the same key and IV), and Monday's cache decrypts Tuesday's.
  const caches = xor(monday, tuesday);
  const length = Math.min(mondayFile.length, tuesdayFile.length);
  let found = -1;
  for (let offset = 0; offset + caches.length <= length && found < 0; offset++) {
    if (xor(mondayFile.subarray(offset, offset + caches.length), tuesdayFile.subarray(offset, offset + caches.length)).equals(caches)) found = offset;
  }
  say.send("XOR the two files byte by byte, and compare with the XOR of Monday's and Tuesday's caches");
  if (found >= 0) {
    const recovered = xor(xor(mondayFile.subarray(found, found + caches.length), tuesdayFile.subarray(found, found + caches.length)), monday).toString('utf8');
    say.answer(`they match from byte ${found} on: one keystream encrypted both files`);
    say.answer(`Tuesday's cache, from Monday's and the two files: ${recovered.slice(recovered.indexOf('"secret"'), recovered.indexOf('"secret"') + 120)}`);
    say.note('The attacker has Tuesday\'s refresh token, and never needed your key.');
  } else {
    say.answer('they match nowhere: each file was encrypted with its own IV, so with its own keystream');
  }
  expect(found >= 0, "your cache used one IV for two encryptions with the same key: the XOR of the two files is the XOR of the two caches, and Monday's cache gave away Tuesday's refresh token").toBe(false);
  expect(sameStart, 'the two files start with the same 12 bytes: the IV is not fresh for each encryption').toBe(false);
});

attack('02.1.2', 'copy the cache file, search it for a token, and load it into the attacker\'s own msal', async (say) => {
  const { fileCachePlugin } = await yourTokenCache();
  const settings = localClientSettings();
  const dir = tempCacheDir();
  const path = join(dir, 'token-cache.bin');
  const app = new PublicClientApplication({
    auth: { clientId: settings.localClientId, authority: settings.authority },
    cache: { cachePlugin: fileCachePlugin({ path, key: newKey(), warn: () => {} }) },
  });
  const signedIn = await app.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: personWhoApproves(tenant, USERS.megan).onDeviceCode });
  const accessToken = say.secret(signedIn!.accessToken, "Megan's access token");
  const refreshTokens = Object.values(JSON.parse(app.getTokenCache().serialize()).RefreshToken ?? {}).map((entry) => (entry as { secret: string }).secret);
  for (const token of refreshTokens) say.secret(token, "Megan's refresh token");
  say.note('Megan signed in; your plugin saved the cache. The attacker gets a copy of the file (a backup, a synced folder,');
  say.note('a file attached to a support ticket), and not the key.');

  const mode = statSync(path).mode & 0o777;
  say.send(`ls -l token-cache.bin   (another user of the machine)`);
  say.answer(`mode ${mode.toString(8)}: ${(mode & 0o077) === 0 ? 'readable by Megan alone' : 'other users can read it'}`);

  const copy = readFileSync(path);
  const text = copy.toString('latin1');
  // Named, never shown: a failed expectation prints its values.
  const tokens: Array<[string, string]> = [[accessToken, "Megan's access token"], ...refreshTokens.map((token): [string, string] => [token, "Megan's refresh token"])];
  const found = tokens.filter(([token]) => text.includes(token)).map(([, name]) => name);
  say.send(`search the copy (${copy.length} bytes) for Megan's tokens, her name and JSON`);
  say.answer(found.length ? `found: ${found.map((name) => `‹${name}›`).join(', ')}` : `no token, ${text.includes('megan@') ? 'but her name' : 'no name'}, ${text.includes('"RefreshToken"') ? 'msal\'s JSON in clear' : 'no JSON'}`);

  // The attacker's own msal, on another machine, with the copied file as its cache.
  const attackers = new PublicClientApplication({ auth: { clientId: settings.localClientId, authority: settings.authority } });
  let loaded = true;
  try {
    attackers.getTokenCache().deserialize(copy.toString('utf8'));
  } catch {
    loaded = false;
  }
  const [account] = loaded ? await attackers.getAllAccounts() : [];
  say.send("load the copy into the attacker's own msal (the local client's id is public), and ask for Megan's token");
  let stolen: string | undefined;
  if (account) {
    stolen = (await attackers.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true })).accessToken;
    say.secret(stolen, 'a new access token for Megan');
    say.answer(`msal finds ${account.username}, and Entra trades her refresh token for ${stolen}`);
    say.note('The attacker can do this again for up to 90 days, from anywhere.');
  } else {
    say.answer(loaded ? 'msal reads it, and finds no account' : 'msal cannot even read it: it is not a cache, only bytes');
  }

  expect(found, "a copy of your cache file holds Megan's tokens in plain text").toEqual([]);
  expect(text.includes('megan@') || text.includes('"RefreshToken"'), "a copy of your cache file shows msal's JSON or Megan's name in plain text").toBe(false);
  expect(account?.username, "the attacker's own msal loaded your cache file and signed in as Megan with her refresh token").toBeUndefined();
  expect((mode & 0o077).toString(8), 'the cache file is readable by other users of the machine (mode 0600 keeps it yours)').toBe('0');
});

attack('02.1.2', 'change one byte of the cache file, then swap in a cache of the attacker\'s own', async (say) => {
  const { fileCachePlugin } = await yourTokenCache();
  const settings = localClientSettings();
  const dir = tempCacheDir();
  const path = join(dir, 'token-cache.bin');
  const key = newKey();
  const warnings: string[] = [];
  const server = () =>
    new PublicClientApplication({
      auth: { clientId: settings.localClientId, authority: settings.authority },
      cache: { cachePlugin: fileCachePlugin({ path, key, warn: (message) => void warnings.push(message) }) },
    });
  await server().acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: personWhoApproves(tenant, USERS.megan).onDeviceCode });
  say.note('Megan signed in and your server saved her cache. The attacker can write to her folder (a synced folder, a shared');
  say.note('machine), not read the key.');

  // One byte in the middle of the file: with AES-GCM's counter mode it changes one byte of the cache.
  const file = readFileSync(path);
  const at = Math.floor(file.length / 2);
  file[at]! ^= 0x01;
  writeFileSync(path, file);
  say.send(`flip one bit of byte ${at} of token-cache.bin (${file.length} bytes), then restart the server`);
  const tampered = await accountsAfterRestart(server);
  say.answer(tampered.crash ? `the server failed: ${tampered.crash}` : `accounts: [${tampered.usernames.join(', ')}]; stderr: ${warnings.at(-1) ?? '(nothing)'}`);

  // The attacker's own cache (signed in as Alex, in plain text): Megan's tool would then read and write Alex's data.
  const own = new PublicClientApplication({ auth: { clientId: settings.localClientId, authority: settings.authority } });
  await own.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: personWhoApproves(tenant, USERS.alex).onDeviceCode });
  writeFileSync(path, own.getTokenCache().serialize());
  say.send("replace token-cache.bin with the attacker's own cache (Alex signed in, msal's JSON as it is), then restart");
  const swapped = await accountsAfterRestart(server);
  say.answer(swapped.crash ? `the server failed: ${swapped.crash}` : `accounts: [${swapped.usernames.join(', ')}]; stderr: ${warnings.at(-1) ?? '(nothing)'}`);
  if (!tampered.crash && !swapped.crash && tampered.usernames.length + swapped.usernames.length === 0) {
    say.note('Neither file was trusted: each was set aside, and Megan is asked to sign in again.');
  }

  expect(tampered.crash, 'a changed cache file made your server fail instead of setting the file aside').toBeUndefined();
  expect(tampered.usernames, 'a cache file changed by the attacker was decrypted and used: the authentication tag was not checked').toEqual([]);
  expect(swapped.crash, "the attacker's cache made your server fail instead of setting the file aside").toBeUndefined();
  expect(swapped.usernames, "your server used a cache it could not authenticate: Megan's tool now works as the attacker's account").toEqual([]);
});

attack('02.2.1', "read the MCP client's log and the chat, looking for the device code and Megan's token", async (say) => {
  const output = captureOutput();
  const auth = await authenticationService(tenant, { log: output.log });
  const prompt = await promptOf(auth.acquireToken(), 'the first call, with an empty cache');
  const deviceCodes = tenant().issuedDeviceCodes();
  for (const deviceCode of deviceCodes) say.secret(deviceCode, "Entra's device code");
  say.secret(prompt.userCode ?? '', 'the code Megan enters');
  say.note("Megan's MCP client calls the tool. The attacker can read the client's log files, where your server's stderr");
  say.note('lands, and the chat, where the tool\'s answer lands.');
  say.answer(`the sign-in prompt: ${prompt.message}`);

  await tenant().enterDeviceCode(prompt.url!, prompt.userCode!, USERS.megan);
  const token = say.secret(await tokenOnceSignedIn(auth, prompt, 'the calls after Megan entered the code'), "Megan's access token");
  await auth.acquireToken(); // the next call, from the cache
  output.restore();
  say.note('Megan enters the code and signs in; the next calls find her token in the cache.');

  const seen = `${output.text()}\n${JSON.stringify(prompt)}`;
  const lines = output.text().split('\n').filter(Boolean).length;
  say.send(`search the log (${lines} lines) and the prompt for Entra's device code and Megan's access token`);
  const deviceCodeSeen = deviceCodes.some((deviceCode) => seen.includes(deviceCode.slice(0, 24)));
  const tokenSeen = seen.includes(token.slice(-20));
  say.answer(`device code: ${deviceCodeSeen ? 'found' : 'not there'}; access token: ${tokenSeen ? 'found' : 'not there'}`);
  if (deviceCodeSeen) say.note('With the device code, the attacker polls Entra beside your server, and whoever polls first after Megan signs in gets her tokens.');
  if (tokenSeen) {
    say.send("GET https://graph.microsoft.com/v1.0/me   Authorization: Bearer ‹Megan's access token›   (from the attacker's machine)");
    const me = await fetch('https://graph.microsoft.com/v1.0/me', { headers: { authorization: `Bearer ${token}` } });
    say.answer(`${me.status}  ${me.ok ? `${((await me.json()) as { displayName?: string }).displayName}'s profile` : await me.text()}`);
  }

  expect(deviceCodeSeen, "Entra's device code is in your server's log or its prompt: it is the secret msal polls with, and it gets Megan's tokens").toBe(false);
  expect(tokenSeen, "Megan's access token is in your server's log: whoever reads the MCP client's log files calls Graph as Megan").toBe(false);
});

/** A new msal instance on the same file and key (a restart): the accounts it finds, or how it failed. */
async function accountsAfterRestart(server: () => PublicClientApplication): Promise<{ usernames: string[]; crash?: string }> {
  try {
    return { usernames: (await server().getAllAccounts()).map((account) => account.username) };
  } catch (error) {
    return { usernames: [], crash: (error as Error).message.split('\n')[0] ?? 'an error' };
  }
}
