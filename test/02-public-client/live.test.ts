// The whole story with whichever tenant the mode gives: an MCP client starts the server over stdio, the
// first tool call answers with a device code to enter, the person enters it, and the next call returns
// the profile of whoever signed in. In mock mode the fake tenant plays the person (Megan); in live mode
// you enter the code yourself (WORKBOOK_INTERACTIVE=1).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { SETTINGS } from '#shared/settings-catalog.ts';
import { currentMode } from '#shared/settings.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { personTimeoutMs, tellPerson, usePerson } from '#shared/workbook/person.ts';
import { DEVICE_LOGIN, newKey, tempCacheDir, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';
import { serverFailure, startServer, toolText } from './stdio-server.ts';

const mock = currentMode() === 'mock';
const fake = mock ? useFakeTenant(TENANT_OPTIONS) : undefined;
usePerson();
const check = checksFor(lab);
let bridge: Bridge | undefined;
beforeAll(async () => {
  if (fake) bridge = await startBridge(fake.tenant());
});
afterAll(async () => {
  await bridge?.close();
});

/** Live: the mode, the settings set in this shell (the server reads `.env` itself) and any extra CA. */
function liveEnv(): Record<string, string> {
  const names = [...Object.keys(SETTINGS), 'NODE_EXTRA_CA_CERTS'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

check(
  '02.4.3',
  async () => {
    const env = { TOKEN_CACHE_DIR: tempCacheDir(), TOKEN_CACHE_KEY: newKey().toString('base64') };
    const server = fake && bridge ? await startServer({ bridge, env }) : await startServer({ env: { ...env, ...liveEnv() } });
    try {
      const call = () => server.client.callTool({ name: 'GetUserDetailsFromGraph', arguments: {} }, undefined, { timeout: 60_000 });
      const first = await call();
      const code = /enter the code (\S+) to authenticate/.exec(toolText(first))?.[1];
      if (!first.isError || !code) throw serverFailure(new Error(`with an empty cache, the first call should answer with a device code to enter; it answered: ${toolText(first)}`), server.stderr());
      if (fake) await fake.tenant().enterDeviceCode(DEVICE_LOGIN, code, USERS.megan);
      else tellPerson(['Sign in as a user of your tenant:', toolText(first)]);
      // The person signs in while the client calls again now and then, as a person's client would.
      let result = await call();
      for (const deadline = Date.now() + personTimeoutMs(); result.isError && toolText(result).includes(code); result = await call()) {
        if (Date.now() > deadline) throw new Error(`Nobody finished the device code sign-in within ${personTimeoutMs() / 1000} s (WORKBOOK_PERSON_TIMEOUT).`);
        await sleep(fake ? 100 : 2_000);
      }
      if (result.isError) throw serverFailure(new Error(`the tool answered with an error: ${toolText(result)}`), server.stderr());
      const profile = result.structuredContent as { id?: string; userPrincipalName?: string };
      expect(server.prompts, 'one device code sign-in').toBe(1);
      expect(profile.userPrincipalName, 'the profile of the person who signed in, with their sign-in name').toBeTruthy();
      expect(profile.id, 'and their object id').toMatch(/^[0-9a-f-]{36}$/);
      if (fake) expect(profile.id, 'in mock mode, Megan').toBe(USERS.megan);
    } finally {
      await server.close();
    }
  },
  { timeout: personTimeoutMs() + 10_000 },
);
