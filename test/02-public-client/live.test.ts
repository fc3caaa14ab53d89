// The whole story with whichever tenant the mode gives: an MCP client starts the server over stdio, the
// first tool call signs in with a device code, and the tool returns the profile of whoever signed in.
// In mock mode the fake tenant plays the person (Megan); in live mode you enter the code yourself
// (WORKBOOK_INTERACTIVE=1).
import { afterAll, beforeAll, expect } from 'vitest';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { SETTINGS } from '#shared/settings-catalog.ts';
import { currentMode } from '#shared/settings.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { personTimeoutMs, tellPerson, usePerson } from '#shared/workbook/person.ts';
import { newKey, tempCacheDir, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';
import { serverFailure, startServer } from './stdio-server.ts';

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
    const server =
      fake && bridge
        ? await startServer({ bridge, tenant: fake.tenant, user: USERS.megan, env })
        : await startServer({ env: { ...env, ...liveEnv() }, onPrompt: (prompt) => tellPerson(['Sign in as a user of your tenant:', prompt]) });
    try {
      const result = await server.client
        .callTool({ name: 'GetUserDetailsFromGraph', arguments: {} }, undefined, { timeout: personTimeoutMs() })
        .catch((error: Error) => {
          if (fake || !/timed out/i.test(error.message)) throw error;
          throw new Error(`Nobody finished the device code sign-in within ${personTimeoutMs() / 1000} s (WORKBOOK_PERSON_TIMEOUT).`, { cause: error });
        });
      const text = (result.content as Array<{ text?: string }>).map((part) => part.text).join(' ');
      if (result.isError) throw serverFailure(new Error(`the tool answered with an error: ${text}`), server.stderr());
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
