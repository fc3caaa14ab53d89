// Step 02.2: AuthenticationService against the fake tenant: silent first; when only the person can help,
// an answer at once (a SignInRequiredError with what they must do) and a sign-in in the background, one
// at a time, with a device code or the system browser.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterEach, expect, vi } from 'vitest';
import { TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor, todoFailure } from '#shared/workbook/check.ts';
import {
  authenticationService,
  captureOutput,
  DEVICE_LOGIN,
  deviceCodeSignIns,
  localClientSettings,
  nextPrompt,
  personAtBrowser,
  promptOf,
  TENANT_OPTIONS,
  tokenOnceSignedIn,
  tokenRequests,
  tokensIssued,
  type SignInPrompt,
} from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
afterEach(() => {
  vi.useRealTimers();
});

type Service = Awaited<ReturnType<typeof authenticationService>>;

/** The person enters the prompt's code on the device login page it names. */
async function enterCode(prompt: SignInPrompt, user: string): Promise<void> {
  expect(prompt.url, 'the prompt names the page where the person enters the code (the device code\'s verificationUri)').toBe(DEVICE_LOGIN);
  expect(prompt.userCode, 'the prompt names the code to enter (userCode)').toMatch(/^[A-Z0-9]{8}$/);
  await tenant().enterDeviceCode(prompt.url!, prompt.userCode!, user);
}

/** A service whose person has signed in as `user` with a device code, and its first token. */
async function signedIn(user: string, log?: (message: string) => void): Promise<{ auth: Service; token: string }> {
  const auth = await authenticationService(tenant, log ? { log } : {});
  const prompt = await promptOf(auth.acquireToken(), 'the first call, with an empty cache');
  await enterCode(prompt, user);
  return { auth, token: await tokenOnceSignedIn(auth, prompt, 'the first sign-in') };
}

const twoHoursLater = () => vi.setSystemTime(Date.now() + 2 * 3600_000);

check('02.2.1', async () => {
  const output = captureOutput();
  const auth = await authenticationService(tenant, { log: output.log });
  const prompt = await promptOf(auth.acquireToken(), 'the first call, with an empty cache');
  const pending = tenant().pendingDeviceCodes();
  expect(pending.map((code) => code.userCode), 'the call answered while Entra still waits for the person to enter the code').toEqual([prompt.userCode]);
  expect(prompt.method, 'with no browser to open, the prompt is a device code').toBe('device-code');
  expect(prompt.message, "the prompt's message says where to go and which code to enter (Entra's message)").toContain(prompt.userCode);
  expect(prompt.expiresAt, 'the prompt says when the code expires (Entra gives expiresIn: 15 minutes)').toBeGreaterThan(Date.now() + 10 * 60_000);

  await enterCode(prompt, USERS.alex);
  const first = await tokenOnceSignedIn(auth, prompt, 'the calls after the person entered the code');
  const tokens = [first, await auth.acquireToken(), await auth.acquireToken()];
  output.restore();
  expect(deviceCodeSignIns(tenant), 'one device code sign-in in all').toBe(1);
  expect(tokensIssued(tenant), 'one token response in all: the device code grant; the next calls come from the cache').toBe(1);
  expect(new Set(tokens).size, 'the same cached access token each time').toBe(1);
  expect(decodeJwt(tokens[0]!).oid, 'the token is for the person who entered the code').toBe(USERS.alex);
  const printed = output.text();
  expect(printed, 'no token in what the server prints (its log): log what happened, never the token').not.toContain(tokens[0]!.slice(-20));
  for (const secret of tenant().issuedDeviceCodes()) {
    expect(printed, "never print Entra's device code response whole: its deviceCode is the secret msal polls with").not.toContain(secret.slice(0, 24));
    expect(JSON.stringify(prompt), 'the prompt carries what the person needs, never the deviceCode msal polls with').not.toContain(secret.slice(0, 24));
  }
});

check('02.2.2', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth, token: first } = await signedIn(USERS.adele);
  twoHoursLater(); // the access token (about an hour) has expired; the refresh token has not
  const renewed = await auth.acquireToken();
  expect(renewed, 'a new access token after expiry').not.toBe(first);
  expect(tokenRequests(tenant, 'refresh_token'), 'renewed with the refresh token, silently').toBe(1);
  expect(deviceCodeSignIns(tenant), 'no second device code sign-in').toBe(1);
  expect(decodeJwt(renewed).oid, 'the renewed token is still for the same user (Adele)').toBe(USERS.adele);
});

check('02.2.3', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth } = await signedIn(USERS.megan);
  tenant().faults.revokeRefreshTokens(USERS.megan); // an administrator revoked Megan's sessions
  twoHoursLater();
  const prompt = await promptOf(
    auth.acquireToken(),
    'after a revoked refresh token (acquireTokenSilent throws InteractionRequiredAuthError, and only the person can help)',
  );
  expect(tokenRequests(tenant, 'refresh_token'), 'the silent renewal was tried first').toBe(1);
  expect(deviceCodeSignIns(tenant), 'then a new device code sign-in').toBe(2);
  await enterCode(prompt, USERS.megan);
  const token = await tokenOnceSignedIn(auth, prompt, 'the sign-in after the revocation');
  expect(decodeJwt(token).oid, "the new sign-in's token is for the person who signed in this time (Megan), not the revoked one").toBe(USERS.megan);
});

check('02.2.4', async () => {
  const unknownClient = randomUUID(); // a typo in LOCAL_CLIENT_ID, say: no such app in the tenant
  const auth = await authenticationService(tenant, { settings: { ...localClientSettings(), localClientId: unknownClient } });
  const error = await auth.acquireToken().then(
    () => new Error('acquireToken should have failed'),
    (failure: Error) => failure,
  );
  if (todoFailure(error)) throw todoFailure(error);
  expect(error.name, 'a sign-in Entra refuses is an AuthenticationError (throw explain(error))').toBe('AuthenticationError');
  expect(error.message, 'its message says what to check').toMatch(/LOCAL_CLIENT_ID/);
  expect(error.message, 'and keeps the reason msal gives (Entra\'s error code)').toMatch(/unauthorized_client/);

  // Signed in, the access token expired, and the renewal fails for a reason no person can fix (Entra is
  // briefly unavailable): an AuthenticationError, not a device code sign-in that cannot help.
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth: signedInAuth } = await signedIn(USERS.alex);
  const signIns = deviceCodeSignIns(tenant);
  twoHoursLater();
  tenant().faults.failNextToken(90033, 'temporarily_unavailable', 'A transient error has occurred. Please try again.');
  const transient = await signedInAuth.acquireToken().then(
    () => new Error('acquireToken should have failed'),
    (failure: Error) => failure,
  );
  expect(deviceCodeSignIns(tenant) - signIns, 'a renewal that failed for another reason than InteractionRequiredAuthError starts no device code sign-in').toBe(0);
  expect(transient.name, 'it fails with an AuthenticationError (throw explain(error))').toBe('AuthenticationError');
  expect(transient.message, 'that keeps msal\'s reason').toMatch(/temporarily_unavailable/);
});

check('02.2.5', async () => {
  const auth = await authenticationService(tenant);
  const [first, together] = await Promise.all([
    promptOf(auth.acquireToken(), 'the first call'),
    promptOf(auth.acquireToken(), 'a call made at the same time'),
  ]);
  const later = await promptOf(auth.acquireToken(), 'a call while the sign-in is under way');
  expect(deviceCodeSignIns(tenant), 'three calls, one sign-in: one device code request to Entra').toBe(1);
  expect([together.userCode, later.userCode], 'every call while the sign-in is under way names its code, never a new one').toEqual([first.userCode, first.userCode]);
  expect(later.id, 'the same sign-in, so the same prompt id').toBe(first.id);

  // The person declines: msal's next poll fails, the sign-in ends, and it is forgotten.
  tenant().declineDeviceCode(first.userCode!);
  const afterDecline = await nextPrompt(auth, first, 'after the person declined');
  expect(deviceCodeSignIns(tenant), 'a sign-in that ended is forgotten: the next call starts a new one').toBe(2);
  expect(afterDecline.userCode, 'with a new code').not.toBe(first.userCode);

  // Nobody enters the code before it expires: the next call starts a new sign-in with a new code.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(afterDecline.expiresAt + 1000);
  const afterExpiry = await promptOf(auth.acquireToken(), 'a call after the code expired');
  expect(afterExpiry.userCode, 'an expired sign-in can never finish: the next call starts a new one, with a new code').not.toBe(afterDecline.userCode);
  expect(deviceCodeSignIns(tenant), 'so a third device code sign-in starts').toBe(3);
  await enterCode(afterExpiry, USERS.megan);
  expect(decodeJwt(await tokenOnceSignedIn(auth, afterExpiry, 'the new sign-in')).oid, 'and the new code signs the person in').toBe(USERS.megan);
});

check('02.2.6', async () => {
  const output = captureOutput();
  const browser = personAtBrowser(tenant);
  const auth = await authenticationService(tenant, { signInMethod: 'browser', openBrowser: browser.open, log: output.log });
  const first = await promptOf(auth.acquireToken(), 'the first call, with the browser sign-in');
  const again = await promptOf(auth.acquireToken(), 'a second call while the person has not signed in');
  expect(browser.opened.length, 'one browser window for both calls: one sign-in at a time').toBe(1);
  expect(again.id, 'the second call answers with the same sign-in').toBe(first.id);
  const page = new URL(browser.opened[0]!);
  expect(page.origin + page.pathname, "the browser opens Entra's sign-in page (acquireTokenInteractive's openBrowser)").toBe(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`);
  expect(new URL(page.searchParams.get('redirect_uri') ?? '').hostname, 'which sends the person back to a loopback address').toBe('localhost');
  expect(first.method, 'with a browser at hand, the sign-in happens in the browser').toBe('browser');
  expect(first.message, "the prompt says where to sign in: the sign-in page's host").toContain(page.host);
  const state = page.searchParams.get('state')!;
  expect(JSON.stringify(first), "the prompt never carries the sign-in page's URL: it holds the state").not.toContain(state);

  await browser.signIn(USERS.adele);
  const token = await tokenOnceSignedIn(auth, first, 'the calls after the person signed in in the browser');
  expect(decodeJwt(token).oid, 'the token is for the person who signed in').toBe(USERS.adele);
  expect(await auth.acquireToken(), 'the next call is silent: the same cached token').toBe(token);
  expect(tokensIssued(tenant, 'authorization_code'), 'one code redeemed, with PKCE, by msal').toBe(1);
  output.restore();
  const printed = output.text();
  expect(printed, 'the state is never printed').not.toContain(state);
  expect(printed, 'the authorization code is never printed').not.toContain(browser.codes[0]!.slice(0, 24));
  expect(printed, 'the token is never printed').not.toContain(token.slice(-20));

  // Nobody signs in before the sign-in's time runs out: it is cancelled (msal's loopback listener closes)
  // and the next call opens a new browser window.
  vi.useFakeTimers({ toFake: ['Date'] });
  const slow = personAtBrowser(tenant);
  const later = await authenticationService(tenant, { signInMethod: 'browser', openBrowser: slow.open });
  const stale = await promptOf(later.acquireToken(), 'the first call');
  expect(stale.expiresAt, 'a browser sign-in is bounded in time (BROWSER_SIGN_IN_MS)').toBeLessThanOrEqual(Date.now() + 3600_000);
  vi.setSystemTime(stale.expiresAt + 1000);
  const fresh = await promptOf(later.acquireToken(), 'a call after the sign-in expired');
  expect(slow.opened.length, 'after the expiry, the next call starts a new sign-in: a new browser window').toBe(2);
  expect(fresh.id, 'the new sign-in is a new one, not the expired one again').not.toBe(stale.id);
  await vi.waitFor(async () => expect(await slow.listening(0), 'the expired sign-in is cancelled: msal stops listening for it').toBe(false), { timeout: 5_000, interval: 50 });
  expect(await slow.listening(1), 'while the new one listens').toBe(true);
});
