// Step 02.4 end to end: the learner's server as its own process, driven by the MCP SDK's Client over
// stdio, signing in through the parent's fake tenant. Then a restart with the same token cache.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, afterAll, beforeAll } from 'vitest';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { newKey, tempCacheDir, TENANT_OPTIONS, tokenRequests } from './helpers.ts';
import lab from './lab.ts';
import { serverFailure, startServer, type RunningServer } from './stdio-server.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
let bridge: Bridge;
beforeAll(async () => {
  bridge = await startBridge(tenant());
});
afterAll(async () => {
  await bridge?.close();
});

const CALL = { name: 'GetUserDetailsFromGraph', arguments: {} };
const CALL_OPTIONS = { timeout: 30_000 }; // bounded, and generous on a busy machine

/** Calls the tool and returns its result; a tool error fails with its text (and the server's TODO, if any). */
async function callTool(server: RunningServer) {
  const result = await callOrStdoutNoise(server);
  if (result.isError) {
    const text = (result.content as Array<{ text?: string }>).map((part) => part.text).join(' ');
    throw serverFailure(new Error(`the tool answered with an error: ${text}`), server.stderr());
  }
  return result;
}

/**
 * The tool call, or a failure as soon as the server prints anything on stdout that is not JSON-RPC (a
 * device code prompt there never reaches the person, so the call would only wait for its timeout).
 */
async function callOrStdoutNoise(server: RunningServer) {
  let timer: NodeJS.Timeout | undefined;
  const noise = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const [error] = server.transportErrors;
      if (error) reject(serverFailure(new Error(`the server wrote something other than JSON-RPC on stdout (log with console.error, which writes to stderr): ${error.message}`), server.stderr()));
    }, 50);
  });
  try {
    return await Promise.race([server.client.callTool(CALL, undefined, CALL_OPTIONS), noise]);
  } finally {
    clearInterval(timer);
  }
}

/** A JWT (an access or id token): `eyJ...` header, a dot, `eyJ...` payload. */
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/;

check('02.4.1', async () => {
  const user = tenant().model.users.find((candidate) => candidate.id === USERS.alex)!;
  const cacheDir = tempCacheDir();
  const env = { TOKEN_CACHE_DIR: cacheDir, TOKEN_CACHE_KEY: newKey().toString('base64') };
  const server = await startServer({ bridge, tenant, user: user.id, env });
  try {
    const { tools } = await server.client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'GetUserDetailsFromGraph');
    expect(tool, 'the server lists the tool GetUserDetailsFromGraph').toBeDefined();
    expect(tool!.description, 'the tool has a description a model can choose it by').toBeTruthy();
    expect(tool!.inputSchema.type).toBe('object');
    expect(Object.keys(tool!.outputSchema?.properties ?? {}).sort(), 'its output schema names the four fields').toEqual(['displayName', 'id', 'mail', 'userPrincipalName']);

    const result = await callTool(server);
    expect(result.structuredContent, `the structured content is the signed-in user's (${user.displayName})`).toEqual({
      displayName: user.displayName,
      mail: user.mail,
      userPrincipalName: user.userPrincipalName,
      id: user.id,
    });
    expect(JSON.stringify(result.content), 'a text summary names the user too').toContain(user.displayName);
    expect(server.prompts, 'the device code prompt came on stderr').toBe(1);
    await callTool(server);
    await callTool(server);
    expect(tokenRequests(tenant), 'three calls, one token request: the rest come from the cache').toBe(1);
    expect(server.transportErrors, 'stdout carries only JSON-RPC: nothing else was printed there').toEqual([]);
    expect(server.stderr(), "the server's log (stderr) shows no token").not.toMatch(JWT);
  } finally {
    await server.close();
  }

  const cacheFile = join(cacheDir, 'token-cache.bin');
  expect((statSync(cacheFile).mode & 0o777).toString(8), 'the cache file has mode 0600').toBe('600');
  expect(readFileSync(cacheFile).toString('latin1'), 'the cache file holds no token in plain text').not.toMatch(/RefreshToken|AccessToken|eyJ/);

  // A restart: the same cache folder and key. No new sign-in, no token request.
  tenant().log.clear();
  const restarted = await startServer({ bridge, tenant, user: user.id, env });
  try {
    const again = await callTool(restarted);
    expect((again.structuredContent as { id?: string }).id).toBe(user.id);
    expect(restarted.prompts, 'after a restart the encrypted cache signs the user in: no device code').toBe(0);
    expect(tokenRequests(tenant), 'and no token request').toBe(0);

    // Graph stops trusting the cached token (its signing key is withdrawn): a tool error, then a new sign-in.
    await tenant().faults.rotateKeys({ dropOld: true });
    const refused = await callOrStdoutNoise(restarted);
    expect(refused.isError, 'a token Graph refuses (401) is a tool error, not a crash').toBe(true);
    expect((await callTool(restarted)).structuredContent, 'the server keeps serving: the next call signs in again').toMatchObject({ id: user.id });
    expect(restarted.prompts, 'with a new device code').toBe(1);
    expect(restarted.transportErrors, 'stdout carries only JSON-RPC, failures and sign-ins included').toEqual([]);
    expect(restarted.stderr(), "the server's log (stderr) shows no token, failures included").not.toMatch(JWT);
  } finally {
    await restarted.close();
  }
}, { timeout: 90_000 });
