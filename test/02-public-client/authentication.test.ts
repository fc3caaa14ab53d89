// Step 02.2: AuthenticationService against the fake tenant: silent first, device code when it must.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { authentication, localClientSettings, newKey, personWhoApproves, tempCacheDir, TENANT_OPTIONS, tokenRequests } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
afterEach(() => {
  vi.useRealTimers();
});

async function signedIn(user: string) {
  const { AuthenticationService } = await authentication();
  const person = personWhoApproves(tenant, user);
  const auth = AuthenticationService.create({ settings: localClientSettings(), cacheDir: tempCacheDir(), cacheKey: newKey(), onDeviceCode: person.onDeviceCode });
  return { auth, person };
}

const twoHoursLater = () => vi.setSystemTime(Date.now() + 2 * 3600_000);

check('02.2.1', async () => {
  const { auth, person } = await signedIn(USERS.alex);
  const printed: string[] = [];
  const spies = [
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.join(' '))),
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' '))),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => printed.push(String(chunk)) > 0),
  ];
  let tokens: string[];
  try {
    tokens = [await auth.acquireToken(), await auth.acquireToken(), await auth.acquireToken()];
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  expect(printed.join('\n'), 'no token in what the server prints (its log): log what happened, never the token').not.toContain(tokens[0]!.slice(-20));
  expect(person.prompts, 'one device code prompt, for the first call only').toBe(1);
  expect(tokenRequests(tenant), 'one token request in all: the device code grant; the next calls come from the cache').toBe(1);
  expect(new Set(tokens).size, 'the same cached access token each time').toBe(1);
  expect(decodeJwt(tokens[0]!).oid, 'the token is for the person who entered the code').toBe(USERS.alex);
});

check('02.2.2', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth, person } = await signedIn(USERS.adele);
  const first = await auth.acquireToken();
  twoHoursLater(); // the access token (about an hour) has expired; the refresh token has not
  const renewed = await auth.acquireToken();
  expect(renewed, 'a new access token after expiry').not.toBe(first);
  expect(tokenRequests(tenant, 'refresh_token'), 'renewed with the refresh token, silently').toBe(1);
  expect(person.prompts, 'no second device code prompt').toBe(1);
  expect(decodeJwt(renewed).oid).toBe(USERS.adele);
});

check('02.2.3', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth, person } = await signedIn(USERS.megan);
  await auth.acquireToken();
  tenant().faults.revokeRefreshTokens(USERS.megan); // an administrator revoked Megan's sessions
  twoHoursLater();
  const token = await auth.acquireToken().catch((error: Error) => {
    if (error.name === 'TodoError') throw error;
    throw new Error(`after a revoked refresh token, acquireTokenSilent throws InteractionRequiredAuthError and acquireToken must sign in again with a device code, but it threw: ${error.message}`, { cause: error });
  });
  expect(tokenRequests(tenant, 'refresh_token'), 'the silent renewal was tried first').toBe(1);
  expect(person.prompts, 'then a new device code sign-in').toBe(2);
  expect(decodeJwt(token).oid).toBe(USERS.megan);
});

check('02.2.4', async () => {
  const { AuthenticationService } = await authentication();
  const unknownClient = randomUUID(); // a typo in LOCAL_CLIENT_ID, say: no such app in the tenant
  const auth = AuthenticationService.create({
    settings: { ...localClientSettings(), localClientId: unknownClient },
    cacheDir: tempCacheDir(),
    cacheKey: newKey(),
    onDeviceCode: () => {}, // nobody could sign in to an app that does not exist
  });
  const error = await auth.acquireToken().then(
    () => new Error('acquireToken should have failed'),
    (failure: Error) => failure,
  );
  expect(error.name, 'a failed sign-in is an AuthenticationError (throw explain(error))').toBe('AuthenticationError');
  expect(error.message, 'its message says what to check').toMatch(/LOCAL_CLIENT_ID/);
  expect(error.message, 'and keeps the reason msal gives (Entra\'s error code)').toMatch(/unauthorized_client/);

  // Signed in, the access token expired, and the renewal fails for a reason no person can fix (Entra is
  // briefly unavailable): an AuthenticationError, not a device code prompt that cannot help.
  vi.useFakeTimers({ toFake: ['Date'] });
  const { auth: signedInAuth, person } = await signedIn(USERS.alex);
  await signedInAuth.acquireToken();
  twoHoursLater();
  tenant().faults.failNextToken(90033, 'temporarily_unavailable', 'A transient error has occurred. Please try again.');
  const transient = await signedInAuth.acquireToken().then(
    () => new Error('acquireToken should have failed'),
    (failure: Error) => failure,
  );
  expect(person.prompts, 'a renewal that failed for another reason than InteractionRequiredAuthError starts no device code sign-in').toBe(1);
  expect(transient.name, 'it fails with an AuthenticationError (throw explain(error))').toBe('AuthenticationError');
  expect(transient.message, 'that keeps msal\'s reason').toMatch(/temporarily_unavailable/);
});
