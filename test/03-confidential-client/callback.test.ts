// Step 03.2: /auth/callback takes Entra's answer once, while it is fresh, and gives the MCP client a code
// of the server's own. Entra's code, state and tokens stay on the server and out of its logs.
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { CLIENT_REDIRECT, hop, location, requireSteps, signInAtEntra, startLabServer, startSignIn, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);
const logLines: string[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startLabServer(tenant, { logLines });
});
afterAll(() => server?.close());
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
  const { authorizeUrl } = await startSignIn(server);
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

  const late = await startSignIn(server);
  const lateCallback = await signInAtEntra(tenant, late.authorizeUrl, USERS.adele);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 11 * 60 * 1000);
  const tokenRequestsBefore = tenant().log.count('token');
  await expectRefused(lateCallback, 'a state 11 minutes old (expired)');
  expect(tenant().log.count('token') - tokenRequestsBefore, "a refused callback never redeems Entra's code").toBe(0);
});

check('03.2.2', async () => {
  requireSteps('03.1', '03.2');
  const { provider, authorizeUrl } = await startSignIn(server);
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
  const { authorizeUrl } = await startSignIn(server);
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
