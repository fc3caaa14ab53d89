// Step 03.2: /auth/callback takes Entra's answer once, while it is fresh, and gives the MCP client a code
// of the server's own. Entra's code, state and tokens stay on the server and out of its logs.
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { CLIENT_REDIRECT, hop, location, requireSteps, signInAtEntra, startSignIn, useLabServer } from './helpers.ts';
import lab from './lab.ts';

const check = checksFor(lab);
const logLines: string[] = [];
const { tenant, server } = useLabServer({ logLines });
afterEach(() => {
  vi.useRealTimers();
});

/** A refused callback: an error answer with no redirect and nothing issued. */
async function expectRefused(callback: URL, why: string) {
  const response = await hop(callback);
  expect(response.status, `${why}: refused with 400`).toBe(400);
  expect(response.headers.get('location'), `${why}: no redirect to the client, so no code`).toBeNull();
  const body = await response.text();
  expect(body, `${why}: the answer does not repeat the state`).not.toContain(callback.searchParams.get('state')!);
}

check('03.2.1', async () => {
  requireSteps('03.1', '03.2');
  const { authorizeUrl } = await startSignIn(server());
  const callback = await signInAtEntra(tenant, authorizeUrl, USERS.adele);
  const state = callback.searchParams.get('state')!;

  const tampered = new URL(callback);
  tampered.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
  await expectRefused(tampered, 'a tampered state');
  const missing = new URL(callback);
  missing.searchParams.delete('state');
  await expectRefused(missing, 'no state');

  expect(location(await hop(callback)).searchParams.get('code'), 'the genuine callback still works once').toBeTruthy();
  await expectRefused(callback, 'the same state again (replayed)');

  const late = await startSignIn(server());
  const lateCallback = await signInAtEntra(tenant, late.authorizeUrl, USERS.adele);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 11 * 60 * 1000);
  const tokenRequestsBefore = tenant().log.count('token');
  await expectRefused(lateCallback, 'a state 11 minutes old (expired)');
  expect(tenant().log.count('token') - tokenRequestsBefore, "a refused callback never redeems Entra's code").toBe(0);
});

check('03.2.2', async () => {
  requireSteps('03.1', '03.2');
  const { provider, authorizeUrl } = await startSignIn(server());
  const callback = await signInAtEntra(tenant, authorizeUrl, USERS.megan);
  const back = location(await hop(callback));
  expect(back.origin + back.pathname, "back to the MCP client's registered redirect URI").toBe(CLIENT_REDIRECT);
  expect(back.searchParams.get('state'), "with the client's own state").toBe(provider.lastState);
  const code = back.searchParams.get('code');
  expect(code, 'and a code').toBeTruthy();
  expect(code, "of the server's own, not Entra's").not.toBe(callback.searchParams.get('code'));
  expect(tenant().log.count('token'), "the server redeemed Entra's code itself").toBe(1);
});

check('03.2.3', async () => {
  requireSteps('03.1', '03.2');
  logLines.length = 0;
  const { authorizeUrl } = await startSignIn(server());
  // The redirect to Entra carries the Entra leg's state: that is the browser's errand, not a leak.
  const callback = await signInAtEntra(tenant, authorizeUrl, USERS.adele);
  const back = await hop(callback);
  const seen = [JSON.stringify([...back.headers]), await back.text()]; // what the MCP client's browser gets
  const code = location(back).searchParams.get('code')!;
  const tampered = new URL(callback);
  tampered.searchParams.set('state', 'guessed');
  await hop(tampered);
  await hop(callback); // refused replays: their log lines must not quote them either

  const entraValues = { "Entra's code": callback.searchParams.get('code')!, "the Entra leg's state": callback.searchParams.get('state')! };
  for (const [what, value] of Object.entries(entraValues)) {
    expect(seen.join('\n'), `${what} never reaches the MCP client`).not.toContain(value);
    expect(logLines.join('\n'), `${what} is never logged`).not.toContain(value);
  }
  expect(logLines.join('\n'), "the client's code is never logged").not.toContain(code);
  expect(seen.join('\n'), 'no JWT (an Entra token) reaches the client').not.toMatch(/eyJ[\w-]+\.eyJ/);
  expect(logLines.join('\n'), 'no JWT in the logs').not.toMatch(/eyJ[\w-]+\.eyJ/);
  expect(logLines.length, 'the server does log the sign-in').toBeGreaterThan(0);
});

/**
 * A sign-in that failed at Entra, as the MCP client must see it: its redirect URI with
 * error=access_denied and its own state (step 2), or at least a 400 JSON answer; never a 500, never a code.
 * Returns everything the browser got, for the caller to search for secrets.
 */
async function expectAccessDenied(callback: URL, clientState: string, why: string): Promise<string> {
  const response = await hop(callback);
  const body = await response.text();
  expect(response.status, `${why}: the callback answered ${response.status}; a failed sign-in is no server error (step 2: redirect to the client with error=access_denied)`).not.toBe(500);
  const where = response.headers.get('location');
  if (response.status === 302 && where) {
    const back = new URL(where);
    expect(back.origin + back.pathname, `${why}: back to the MCP client's redirect URI`).toBe(CLIENT_REDIRECT);
    expect(back.searchParams.get('error'), `${why}: with error=access_denied (step 2)`).toBe('access_denied');
    expect(back.searchParams.get('state'), `${why}: and the client's own state, so it can match the answer to its request`).toBe(clientState);
    expect(back.searchParams.get('code'), `${why}: and no code`).toBeNull();
    return [where, ...back.searchParams.values(), body].join('\n');
  }
  expect(response.status, `${why}: a redirect to the client with error=access_denied (step 2), or at least 400, not ${response.status}`).toBe(400);
  expect(response.headers.get('content-type'), `${why}: a 400 answered in JSON`).toMatch(/json/);
  return body;
}

check('03.2.4', async () => {
  requireSteps('03.1', '03.2');
  logLines.length = 0;
  const seen: string[] = [];
  const entraStates: string[] = [];
  const callbackUrl = (fields: Record<string, string>) => new URL(`/auth/callback?${new URLSearchParams(fields)}`, server().baseUrl);

  // The person cancels at Entra (or Entra refuses the sign-in): the browser comes back with an error, no code.
  const cancelled = await startSignIn(server());
  const cancelledState = location(await hop(cancelled.authorizeUrl)).searchParams.get('state')!;
  entraStates.push(cancelledState);
  const denied = callbackUrl({ error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state: cancelledState });
  seen.push(await expectAccessDenied(denied, cancelled.provider.lastState, 'Entra sends error=access_denied (the person cancelled)'));

  // A callback with its state but neither a code nor an error.
  const bare = await startSignIn(server());
  const bareState = location(await hop(bare.authorizeUrl)).searchParams.get('state')!;
  entraStates.push(bareState);
  seen.push(await expectAccessDenied(callbackUrl({ state: bareState }), bare.provider.lastState, 'a callback with no code'));
  expect(tenant().log.count('token'), 'without a code, nothing is redeemed at Entra').toBe(0);

  // Entra refuses to redeem its code (expired, used, revoked consent): acquireTokenByCode throws.
  const refused = await startSignIn(server());
  const callback = await signInAtEntra(tenant, refused.authorizeUrl, USERS.megan);
  const entraCode = callback.searchParams.get('code')!;
  entraStates.push(callback.searchParams.get('state')!);
  // Entra's descriptions can quote what the request carried (AADSTS50011 quotes the redirect URI); this
  // one quotes the code, the worst case. MSAL's error message carries the description.
  const description = `The provided authorization code was already redeemed. Code: ${entraCode}`;
  tenant().faults.failNextToken(54005, 'invalid_grant', description);
  seen.push(await expectAccessDenied(callback, refused.provider.lastState, "Entra refuses to redeem its code (acquireTokenByCode throws)"));
  expect(tenant().log.count('token'), 'the server tried to redeem the code once').toBe(1);

  const answers = seen.join('\n');
  const logs = logLines.join('\n');
  const secrets: Array<[string, string]> = [
    ["Entra's code", entraCode],
    ["Entra's error description (MSAL's message)", 'was already redeemed'],
    ...entraStates.map((state): [string, string] => ["the Entra leg's state", state]),
  ];
  for (const [what, value] of secrets) {
    expect(answers, `${what} never reaches the MCP client (send error=access_denied, nothing of Entra's)`).not.toContain(value);
    expect(logs, `${what} is never logged (log errorName(error): its name and code, not its message)`).not.toContain(value);
  }
  expect(logs, 'no JWT in the logs').not.toMatch(/eyJ[\w-]+\.eyJ/);
});
