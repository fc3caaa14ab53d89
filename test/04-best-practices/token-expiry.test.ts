// Step 04.6: the users' Entra tokens near expiry. MSAL renews a token in its last five minutes; the
// server makes sure that however many calls arrive then, each user's refresh, and its failure, is handled once.
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import type { SessionIdentity } from '../../labs/03-confidential-client/src/auth-provider.ts';
import { initializeWith } from '../03-confidential-client/helpers.ts';
import { callTool, connect, requireSteps, signIn, useLabServer } from './helpers.ts';
import lab from './lab.ts';

const check = checksFor(lab);
const logLines: string[] = [];
const { tenant, server } = useLabServer({ logLines });
afterEach(() => {
  vi.useRealTimers();
});

/** Entra's access tokens live 3599 s here; MSAL renews one in its last 300 s. */
const inRenewalWindow = 3400;
const refreshes = () => tenant().log.count((entry) => entry.endpoint === 'token' && entry.grantType === 'refresh_token');
const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

async function signedIn(user: string) {
  const provider = await signIn(tenant, server(), user);
  const identity = (await server().provider.verifyAccessToken(provider.saved!.access_token)).extra as SessionIdentity;
  return { provider, user: identity.user };
}

check('04.6.1', async () => {
  requireSteps('04.4');
  const adele = await signedIn(USERS.adele);
  const { client } = await connect(server(), adele.provider);
  const before = await server().graphTokens.getToken(adele.user);
  vi.useFakeTimers({ toFake: ['Date'] });

  later(3000); // ten minutes left: outside the renewal window, the cached token is used
  expect(await server().graphTokens.getToken(adele.user), 'a token with ten minutes left is used as it is').toBe(before);
  expect(refreshes(), 'no refresh while the token has ten minutes left').toBe(0);

  later(inRenewalWindow - 3000); // about three minutes left: renewed before it expires
  const results = await Promise.all(Array.from({ length: 50 }, () => callTool(client, 'getUserDetails')));
  expect(results.filter((result) => result.isError).map((result) => result.text), '50 tool calls at once, as the token comes up for renewal: all succeed').toEqual([]);
  expect(refreshes(), 'one refresh request for all of them').toBe(1);
  await client.close();

  later(inRenewalWindow); // the renewed token comes up for renewal in turn
  tenant().log.clear();
  const tokens = await Promise.all(Array.from({ length: 50 }, () => server().graphTokens.getToken(adele.user)));
  expect(refreshes(), '50 callers asking for a token at the same moment: one refresh request (single flight)').toBe(1);
  expect(new Set(tokens).size, 'and all 50 get the same new token').toBe(1);
  expect(tokens[0], 'a new one, fetched before the old one expired').not.toBe(before);
});

check('04.6.2', async () => {
  requireSteps('04.4');
  const megan = await signedIn(USERS.megan);
  await server().graphTokens.getToken(megan.user);
  tenant().faults.revokeRefreshTokens(USERS.megan); // an administrator revoked her sessions in Entra
  vi.useFakeTimers({ toFake: ['Date'] });
  later(inRenewalWindow);
  tenant().log.clear();
  logLines.length = 0;

  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => server().graphTokens.getToken(megan.user)));
  expect(outcomes.every((outcome) => outcome.status === 'rejected'), '50 calls waiting on a refused refresh: none gets a token').toBe(true);
  const reasons = outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason as Error);
  expect(reasons.every((reason) => reason.name === 'SignInRequiredError'), 'each is told to sign in again (SignInRequiredError)').toBe(true);
  expect(refreshes(), 'Entra refused one refresh (invalid_grant): it was asked once, not 50 times').toBe(1);
  const endings = logLines.filter((line) => line.includes('"entra_sign_in_required"'));
  expect(endings.length, "one incident, handled once: one entra_sign_in_required event and one ending of Megan's sessions, not one per waiting call").toBe(1);
  const answer = await initializeWith(server(), megan.provider.saved!.access_token);
  expect(answer.status, "her session has ended: the MCP client's next request gets 401 and signs her in again").toBe(401);

  // The same refusal met by a tool call: the user reads what to do.
  const adele = await signedIn(USERS.adele);
  const { client } = await connect(server(), adele.provider);
  tenant().faults.revokeRefreshTokens(USERS.adele);
  later(inRenewalWindow);
  const told = await callTool(client, 'getUserDetails');
  expect(told, 'a tool call that meets the refusal tells the user to sign in again').toMatchObject({ isError: true, text: expect.stringMatching(/sign in again/i) });
  await client.close().catch(() => {});
});
