// Step 02.4 end to end: the learner's server as its own process, driven by the MCP SDK's Client over
// stdio. The first call answers at once with how to sign in; the person enters the code on the parent's
// fake tenant's device login page; the next call returns the profile. Then a restart with the same cache.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, afterAll, beforeAll } from 'vitest';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { DEVICE_LOGIN, deviceCodeSignIns, newKey, tempCacheDir, TENANT_OPTIONS, tokenRequests, tokensIssued } from './helpers.ts';
import lab from './lab.ts';
import { serverFailure, startServer, toolText, type RunningServer } from './stdio-server.ts';

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
/** The client's patience with a call while nobody signs in: a few seconds, as a person's client has. */
const FIRST_CALL_OPTIONS = { timeout: 10_000 };

/** Calls the tool and returns its result; a tool error fails with its text (and the server's TODO, if any). */
async function callTool(server: RunningServer) {
  const result = await callOrStdoutNoise(server);
  if (result.isError) throw serverFailure(new Error(`the tool answered with an error: ${toolText(result)}`), server.stderr());
  return result;
}

/**
 * A call while nobody has signed in: the tool answers within the client's own timeout, with a tool error
 * that names the device login page and the code Entra is waiting for. Returns that code.
 */
async function signInAnswer(server: RunningServer, what: string): Promise<string> {
  const result = await callOrStdoutNoise(server, FIRST_CALL_OPTIONS).catch((error: Error) => {
    if (!/timed out/i.test(error.message)) throw error;
    throw serverFailure(
      new Error(`${what}: the tool did not answer within the client's ${FIRST_CALL_OPTIONS.timeout / 1000} s timeout while nobody signed in: it waits for the person. Answer at once with how to sign in; the sign-in goes on in the background.`),
      server.stderr(),
    );
  });
  const text = toolText(result);
  const pending = tenant().pendingDeviceCodes();
  if (pending.length === 0) throw serverFailure(new Error(`${what}: expected the tool to answer with a device code to enter, but no sign-in was started; it answered: ${text}`), server.stderr());
  expect(pending.length, `${what}: one sign-in, still waiting for the person (the tool answered before anyone entered the code)`).toBe(1);
  expect(result.isError, `${what}: to a client without URL elicitation, the answer is a tool error (isError: true) that says how to sign in`).toBe(true);
  expect(text, `${what}: the tool error names the code to enter`).toContain(pending[0]!.userCode);
  expect(text, `${what}: and the page to open`).toContain(DEVICE_LOGIN);
  expect(text, `${what}: and says to call the tool again afterwards`).toMatch(/again/i);
  return pending[0]!.userCode;
}

/** The calls after the person entered `userCode`: while msal is about to hear of it, the same answer; then the profile. */
async function profileOnceSignedIn(server: RunningServer, userCode: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const result = await callOrStdoutNoise(server);
    if (!result.isError) return result;
    if (!toolText(result).includes(userCode)) throw serverFailure(new Error(`after the person entered the code, the tool answered: ${toolText(result)}`), server.stderr());
    await sleep(100);
  }
  throw serverFailure(new Error('the person entered the code, but 10 s later the tool still answers with the same sign-in: it never ended'), server.stderr());
}

/**
 * The tool call, or a failure as soon as the server prints anything on stdout that is not JSON-RPC (a
 * device code prompt there never reaches the person, so the call would only wait for its timeout).
 */
async function callOrStdoutNoise(server: RunningServer, options = CALL_OPTIONS) {
  let timer: NodeJS.Timeout | undefined;
  const noise = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const [error] = server.transportErrors;
      if (error) reject(serverFailure(new Error(`the server wrote something other than JSON-RPC on stdout (log with console.error, which writes to stderr): ${error.message}`), server.stderr()));
    }, 50);
  });
  try {
    return await Promise.race([server.client.callTool(CALL, undefined, options), noise]);
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
  const server = await startServer({ bridge, env });
  try {
    const { tools } = await server.client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'GetUserDetailsFromGraph');
    expect(tool, 'the server lists the tool GetUserDetailsFromGraph').toBeDefined();
    expect(tool!.description, 'the tool has a description a model can choose it by').toBeTruthy();
    expect(tool!.inputSchema.type, "the tool's input schema is an object, as MCP requires").toBe('object');
    expect(Object.keys(tool!.outputSchema?.properties ?? {}).sort(), 'its output schema names the four fields').toEqual(['displayName', 'id', 'mail', 'userPrincipalName']);

    const code = await signInAnswer(server, 'the first call, with an empty cache');
    await tenant().enterDeviceCode(DEVICE_LOGIN, code, user.id);
    const result = await profileOnceSignedIn(server, code);
    expect(result.structuredContent, `the structured content is the signed-in user's (${user.displayName})`).toEqual({
      displayName: user.displayName,
      mail: user.mail,
      userPrincipalName: user.userPrincipalName,
      id: user.id,
    });
    expect(JSON.stringify(result.content), 'a text summary names the user too').toContain(user.displayName);
    expect(server.prompts, "the server's log (stderr) shows the sign-in it started").toBe(1);
    await callTool(server);
    await callTool(server);
    expect(deviceCodeSignIns(tenant), 'one sign-in in all').toBe(1);
    expect(tokensIssued(tenant), 'one token response in all: the rest come from the cache').toBe(1);
    expect(server.transportErrors, 'stdout carries only JSON-RPC: nothing else was printed there').toEqual([]);
    expect(server.stderr(), "the server's log (stderr) shows no token").not.toMatch(JWT);
    for (const secret of tenant().issuedDeviceCodes()) {
      expect(server.stderr(), "the server's log never shows the device code response's deviceCode (the secret msal polls with)").not.toContain(secret.slice(0, 24));
    }
  } finally {
    await server.close();
  }

  const cacheFile = join(cacheDir, 'token-cache.bin');
  expect((statSync(cacheFile).mode & 0o777).toString(8), 'the cache file has mode 0600').toBe('600');
  expect(readFileSync(cacheFile).toString('latin1'), 'the cache file holds no token in plain text').not.toMatch(/RefreshToken|AccessToken|eyJ/);

  // A restart: the same cache folder and key. No new sign-in, no token request.
  tenant().log.clear();
  const restarted = await startServer({ bridge, env });
  try {
    const again = await callTool(restarted);
    expect((again.structuredContent as { id?: string }).id, 'after a restart, the tool answers for the same signed-in user').toBe(user.id);
    expect(restarted.prompts, 'after a restart the encrypted cache signs the user in: no device code').toBe(0);
    expect(tokenRequests(tenant), 'and no token request').toBe(0);

    // Graph stops trusting the cached token (its signing key is withdrawn): a tool error, then a new sign-in.
    await tenant().faults.rotateKeys({ dropOld: true });
    const refused = await callOrStdoutNoise(restarted);
    expect(refused.isError, 'a token Graph refuses (401) is a tool error, not a crash').toBe(true);
    const code = await signInAnswer(restarted, 'the call after Graph refused the token (the account was forgotten)');
    await tenant().enterDeviceCode(DEVICE_LOGIN, code, user.id);
    expect((await profileOnceSignedIn(restarted, code)).structuredContent, 'the server keeps serving: a new sign-in, then the profile').toMatchObject({ id: user.id });
    expect(restarted.prompts, 'with a new device code').toBe(1);
    expect(restarted.transportErrors, 'stdout carries only JSON-RPC, failures and sign-ins included').toEqual([]);
    expect(restarted.stderr(), "the server's log (stderr) shows no token, failures included").not.toMatch(JWT);
  } finally {
    await restarted.close();
  }
}, { timeout: 90_000 });
