// What lab 02's checks share: the lab's modules by type, a temporary cache folder, the settings of the
// local client, the person (at the device login page, or at a browser msal opened), and the sign-in
// answers a check waits for.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceCodeRequest } from '@azure/msal-node';
import { onTestFinished, vi } from 'vitest';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings } from '#shared/settings.ts';
import { todoFailure } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

export type TokenCacheModule = typeof import('../../labs/02-public-client/src/token-cache.ts');
export type AuthenticationModule = typeof import('../../labs/02-public-client/src/authentication-service.ts');
export type SignInModule = typeof import('../../labs/02-public-client/src/sign-in.ts');
export type GraphModule = typeof import('../../labs/02-public-client/src/graph.ts');
export type McpServerModule = typeof import('../../labs/02-public-client/src/mcp-server.ts');
export type SignInPrompt = import('../../labs/02-public-client/src/sign-in.ts').SignInPrompt;
type AuthenticationOptions = import('../../labs/02-public-client/src/authentication-service.ts').AuthenticationOptions;
type AuthenticationService = import('../../labs/02-public-client/src/authentication-service.ts').AuthenticationService;

export const tokenCache = () => importTarget<TokenCacheModule>(lab, 'src/token-cache.ts');
export const authentication = () => importTarget<AuthenticationModule>(lab, 'src/authentication-service.ts');
export const signInModule = () => importTarget<SignInModule>(lab, 'src/sign-in.ts');
export const graphModule = () => importTarget<GraphModule>(lab, 'src/graph.ts');
export const mcpServer = () => importTarget<McpServerModule>(lab, 'src/mcp-server.ts');

export const localClientSettings = () => loadSettings({ need: ['localClient'] });

/**
 * The fake tenant as this lab's checks start it: a device code client polls every 50 ms (Entra says
 * every 5 s), so a sign-in the person finished ends at once; and its signing keys are an earlier check
 * file's (no RSA key generated per file). What the lab's code sees is Entra's protocol all the same
 * (docs/fake-tenant.md).
 */
export const TENANT_OPTIONS = { deviceCodeIntervalSeconds: 0.05, reuseSigningKeys: true };

/** Where Entra (and the fake tenant in mock mode) sends a person with a device code. */
export const DEVICE_LOGIN = 'https://microsoft.com/devicelogin';

/** How long a check lets a call take while nobody signs in, before it says the call waits for the person. */
export const ANSWER_AT_ONCE_MS = 5_000;

/** A cache folder of the running check's own, removed when the check ends. */
export function tempCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab02-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const newKey = () => randomBytes(32);

/**
 * The learner's AuthenticationService with a cache of the check's own; its sign-ins are stopped when
 * the check ends (AuthenticationService.close(), and any device code still pending is declined), so no
 * flow outlives the check.
 */
export async function authenticationService(tenant: () => FakeTenant, options: Partial<AuthenticationOptions> = {}): Promise<AuthenticationService> {
  const { AuthenticationService } = await authentication();
  const auth = AuthenticationService.create({ settings: localClientSettings(), cacheDir: tempCacheDir(), cacheKey: newKey(), log: () => {}, ...options });
  onTestFinished(() => endSignIns(tenant, auth));
  return auth;
}

/** Stops every sign-in of the check: the service's own, and whatever device code still waits. */
export function endSignIns(tenant: () => FakeTenant, auth?: { close(): void }): void {
  auth?.close();
  for (const pending of tenant().pendingDeviceCodes()) tenant().declineDeviceCode(pending.userCode);
}

/** A device code callback that has `user` enter the code in the fake tenant, and counts the prompts. */
export function personWhoApproves(tenant: () => FakeTenant, user: string) {
  const person = {
    prompts: 0,
    user,
    onDeviceCode: ((response) => {
      person.prompts += 1;
      tenant().approveDeviceCode(response.userCode, person.user);
    }) as DeviceCodeRequest['deviceCodeCallback'],
  };
  return person;
}

/**
 * The browser msal opens, with a person at it: `open` is the openBrowser msal calls (it only notes the
 * page); `signIn(user)` is the person signing in on the last page opened, and the browser posting
 * Entra's answer back to the app's loopback address (response_mode=form_post), as a browser does.
 */
export function personAtBrowser(tenant: () => FakeTenant) {
  const browser = {
    opened: [] as string[],
    /** The authorization codes the browser carried back: a check proves none is ever printed. */
    codes: [] as string[],
    open: async (url: string) => {
      browser.opened.push(url);
    },
    async signIn(user: string): Promise<void> {
      const page = browser.opened.at(-1);
      if (!page) throw new Error('No browser window was opened: openBrowser was never called with Entra\'s sign-in page.');
      const back = await tenant().signIn(page, user);
      browser.codes.push(back.searchParams.get('code') ?? '');
      const answer = await fetch(loopback(back), { method: 'POST', body: new URLSearchParams(back.searchParams) });
      if (!answer.ok) throw new Error(`The app's loopback address answered the browser ${answer.status}: ${await answer.text()}`);
    },
    /** Whether the app still listens at the redirect URI of the `index`-th page opened. */
    async listening(index: number): Promise<boolean> {
      const redirectUri = new URL(browser.opened[index] ?? '').searchParams.get('redirect_uri');
      if (!redirectUri) return false;
      return fetch(loopback(new URL(redirectUri))).then(
        () => true,
        () => false, // connection refused: closed
      );
    },
  };
  return browser;
}

/** A loopback redirect URI as a browser reaches it: msal names it localhost and listens on 127.0.0.1. */
function loopback(url: URL): URL {
  const target = new URL(url.origin + url.pathname);
  if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
  return target;
}

/**
 * The SignInRequiredError's prompt `call` must fail with at once, while nobody signs in. Fails, saying
 * what happened, when the call waits for the person, returns a token, or fails otherwise.
 */
export async function promptOf(call: Promise<string>, what: string): Promise<SignInPrompt> {
  const outcome = await Promise.race([
    call.then(
      (token) => ({ token }),
      (error: Error) => ({ error }),
    ),
    sleep(ANSWER_AT_ONCE_MS, 'waiting' as const, { ref: false }),
  ]);
  if (outcome === 'waiting') {
    throw new Error(`${what}: acquireToken() did not answer within ${ANSWER_AT_ONCE_MS / 1000} s while nobody signed in: it waits for the person. Throw a SignInRequiredError with the prompt at once; the sign-in goes on in the background.`);
  }
  if ('token' in outcome) throw new Error(`${what}: acquireToken() returned a token, but nobody had signed in: it should throw a SignInRequiredError with what the person must do.`);
  const { error } = outcome;
  const todo = todoFailure(error);
  if (todo) throw todo;
  if (error.name !== 'SignInRequiredError' || !('prompt' in error)) {
    throw new Error(`${what}: expected a SignInRequiredError with what the person must do, but acquireToken() threw ${error.name}: ${error.message}`, { cause: error });
  }
  return (error as Error & { prompt: SignInPrompt }).prompt;
}

/**
 * acquireToken() called again, every 50 ms, while the sign-in `prompt` belongs to is still finishing (the
 * person has just signed in, and msal is about to hear of it): the token, once it has. Fails at once if a
 * call answers with another sign-in, and after 10 s if this one never ends.
 */
export async function tokenOnceSignedIn(auth: { acquireToken(): Promise<string> }, prompt: SignInPrompt, what: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const outcome = await auth.acquireToken().then(
      (token) => ({ token }),
      (error: Error) => ({ error }),
    );
    if ('token' in outcome) return outcome.token;
    const next = 'prompt' in outcome.error ? (outcome.error.prompt as SignInPrompt) : undefined;
    if (!next) throw todoFailure(outcome.error) ?? new Error(`${what}: after the person signed in, acquireToken() threw ${outcome.error.name}: ${outcome.error.message}`, { cause: outcome.error });
    if (next.id !== prompt.id || next.userCode !== prompt.userCode) {
      throw new Error(`${what}: after the person signed in, a call started another sign-in (${next.userCode ? `code ${next.userCode}` : 'a new browser window'}) instead of finding their tokens: keep the sign-in under way until it ends.`);
    }
    await sleep(50);
  }
  throw new Error(`${what}: the person signed in, but 10 s later acquireToken() still answers with the same sign-in: it never ended (msal's flow must go on in the background, into the cache).`);
}

/** acquireToken() called again until it answers with a sign-in other than `prompt` (at most 10 s). */
export async function nextPrompt(auth: { acquireToken(): Promise<string> }, prompt: SignInPrompt, what: string): Promise<SignInPrompt> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const next = await promptOf(auth.acquireToken(), what);
    if (next.id !== prompt.id) return next;
    await sleep(50);
  }
  throw new Error(`${what}: 10 s after the sign-in ended, calls still answer with its code ${prompt.userCode ?? ''}: forget a sign-in when it ends (done, signed in or not), so the next call starts a new one.`);
}

/** Everything printed (console.error, console.log, stderr) while the check runs: for "never printed" rules. */
export function captureOutput() {
  const printed: string[] = [];
  const spies = [
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(format(...args))), // as console prints it
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args))),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => printed.push(String(chunk)) > 0),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => printed.push(String(chunk)) > 0),
  ];
  const output = {
    /** For AuthenticationService's `log` option. */
    log: (message: string) => void printed.push(message),
    text: () => printed.join('\n'),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
  onTestFinished(output.restore);
  return output;
}

export const tokenRequests = (tenant: () => FakeTenant, grantType?: string) =>
  tenant().log.count((entry) => entry.endpoint === 'token' && (grantType === undefined || entry.grantType === grantType));

/** Token requests Entra answered with tokens (device code polls before the person signs in are not). */
export const tokensIssued = (tenant: () => FakeTenant, grantType?: string) =>
  tenant().log.count((entry) => entry.endpoint === 'token' && entry.status === 200 && (grantType === undefined || entry.grantType === grantType));

/** Device code sign-ins started: requests to Entra's devicecode endpoint. */
export const deviceCodeSignIns = (tenant: () => FakeTenant) => tenant().log.count('devicecode');
