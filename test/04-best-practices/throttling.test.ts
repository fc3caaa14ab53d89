// Step 04.4: Graph throttling (429 with Retry-After) handled by the Graph client's retry middleware within
// bounds, each user's /me cached for a short while, and inbound requests limited per user.
import { setTimeout as realTimeout } from 'node:timers/promises';
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { initializeWith } from '../03-confidential-client/helpers.ts';
import { callTool, CHECK_TENANT, connect, requireSteps, signIn, startLabServer, type RunningServer, type ServerOptions } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(CHECK_TENANT);
const check = checksFor(lab);
let server: RunningServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/**
 * A fresh server (an empty cache) and a signed-in MCP client for each user asked for. `toolCallsArrived()`
 * counts that client's tools/call requests whose answer has begun: the SDK's transport opens the event
 * stream of an answer only after it has handed the request to the MCP server, so the tool is running.
 */
async function start(users: string[], options: ServerOptions = {}) {
  server = await startLabServer(tenant, options);
  const running = server;
  return Promise.all(
    users.map(async (user) => {
      const provider = await signIn(tenant, running, user);
      let arrived = 0;
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (typeof init?.body === 'string' && init.body.includes('"tools/call"')) arrived += 1;
        return response;
      };
      return { user, provider, toolCallsArrived: () => arrived, ...(await connect(running, provider, { fetch: counting })) };
    }),
  );
}

const graphCalls = () => tenant().log.count('graph:/me');
const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Graph's Retry-After, waited on a clock the check moves: the Graph client's RetryHandler waits with
 * setTimeout, and the fake tenant logs each request at its own Date.now(), so with both faked a wait of
 * seconds takes no real time, and the log shows how long the client waited. Sockets keep real time.
 */
function fakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

/** Moves the fake clock on in steps until `work` settles, letting real I/O (loopback, the fake tenant) run in between. */
async function runClockUntil<T>(work: Promise<T>, { stepMs = 250, maxMs = 20_000 } = {}): Promise<T> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  for (let moved = 0; !settled; moved += stepMs) {
    if (moved > maxMs) throw new Error(`the tool call had not finished ${maxMs / 1000} s (on the check's clock) after it began`);
    await realTimeout(2);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return done;
}

/** Waits in real time (the fake clock stands still) until `condition` holds, or `ms` have passed. */
async function realWaitFor(condition: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!condition() && performance.now() < end) await realTimeout(2);
}

/** When each Graph /me request reached the fake tenant, on its clock. */
const graphTimes = () => tenant().log.entries().filter((entry) => entry.endpoint === 'graph:/me').map((entry) => entry.at);

check('04.4.1', async () => {
  requireSteps('04.4');
  const [megan] = await start([USERS.megan]);
  // Graph: "429, come back in 3 seconds", once. Three, not one: more than GRAPH_RETRY's base delay of
  // one second, so a client that backs off by its own delay and ignores Retry-After is seen too.
  const retryAfter = 3;
  tenant().faults.throttleGraph(1, retryAfter);
  fakeClock();
  const result = await runClockUntil(callTool(megan!.client, 'getUserDetails'));
  vi.useRealTimers();
  expect(result.isError, `after one 429 the call succeeds (${result.text})`).toBe(false);
  expect(JSON.parse(result.text), "and returns Megan's profile").toMatchObject({ id: USERS.megan });
  expect(graphCalls(), 'two Graph requests: the throttled one and one retry').toBe(2);
  const [throttled, retried] = graphTimes();
  const waited = (retried! - throttled!) / 1000;
  expect(waited, `the retry waited the ${retryAfter} s Retry-After asked for (it went out ${waited} s after the 429): let the RetryHandler honour Retry-After`).toBeGreaterThanOrEqual(retryAfter);
});

check('04.4.2', async () => {
  requireSteps('04.4');
  const { GRAPH_RETRY } = await importTarget<typeof import('../../labs/04-best-practices/src/graph.ts')>(lab, 'src/graph.ts');
  const [megan, adele] = await start([USERS.megan, USERS.adele]);

  tenant().faults.throttleGraph(20, 30); // "come back in 30 seconds", again and again
  let began = performance.now();
  // The client gives up after 5 s: a server that waits the 30 s Graph asked for has failed already.
  let result = await callTool(megan!.client, 'getUserDetails', {}, { timeout: 5_000 });
  expect(seconds(began), `a Retry-After of 30 s, longer than a tool call can wait, is not waited for: shouldRetry says no when retryAfterSeconds(response) > GRAPH_RETRY.maxWaitSeconds (${result.text})`).toBeLessThan(3);
  expect(result.isError, 'the call ends in a tool error').toBe(true);
  expect(result.text, 'that says Graph is busy and when to try again').toMatch(/busy|too many/i);
  expect(result.text, 'with the time Graph asked for').toContain('30');
  expect(graphCalls(), 'one Graph request: no retry is worth a 30 s wait').toBe(1);

  tenant().faults.reset();
  tenant().log.clear();
  tenant().faults.throttleGraph(20, 0); // a storm that asks for no wait at all
  began = performance.now();
  result = await callTool(megan!.client, 'getUserDetails');
  expect(result.isError, 'a storm beyond the retry bound ends in a tool error, not a hang').toBe(true);
  expect(result.text, 'the tool error says Graph is busy, so the user knows to try later').toMatch(/busy|too many/i);
  expect(GRAPH_RETRY.maxRetries, 'a small retry bound (GRAPH_RETRY.maxRetries)').toBeLessThanOrEqual(5);
  expect(graphCalls(), `the first attempt and GRAPH_RETRY.maxRetries (${GRAPH_RETRY.maxRetries}) retries, no more`).toBe(1 + GRAPH_RETRY.maxRetries);
  expect(seconds(began), 'within the back-off bound').toBeLessThan(15);

  // The storm is over: the next call asks Graph again (a failure is never kept in the cache).
  tenant().faults.reset();
  tenant().log.clear();
  result = await callTool(megan!.client, 'getUserDetails');
  expect(result.isError, `once Graph answers again, the next call succeeds: drop a cache entry whose load failed (${result.text})`).toBe(false);
  expect(graphCalls(), 'with one Graph request').toBe(1);

  // A refusal that waiting does not cure (401: Graph no longer accepts the token) is not retried at all.
  tenant().log.clear();
  await tenant().faults.rotateKeys({ dropOld: true }); // the Graph token MSAL holds for Adele is now signed by a withdrawn key
  result = await callTool(adele!.client, 'getUserDetails');
  expect(result.isError, 'a 401 from Graph ends in a tool error').toBe(true);
  expect(graphCalls(), 'a 401 from Graph is answered after one request: only 429, 503 and 504 are worth a retry (one retry layer: the RetryHandler)').toBe(1);
  expect(result.text, 'a 401 from Graph says to sign in again (tools.ts): the token the server holds is no good any more').toMatch(/sign in again/i);
  expect(result.text, 'not to try again later: the same cached token would be refused for up to an hour').not.toMatch(/try again later/i);
  const next = await initializeWith(server!, adele!.provider.saved!.access_token);
  expect(next.status, "Adele's sessions have ended, so her client's next request gets 401 and its OAuth code signs her in again").toBe(401);
});

check('04.4.3', async () => {
  requireSteps('04.4');
  const [megan, adele] = await start([USERS.megan, USERS.adele]);
  const calls: Array<Promise<{ isError: boolean; text: string }>> = [];
  for (let i = 0; i < 50; i += 1) calls.push(callTool(megan!.client, 'getUserDetails')); // fifty at once
  const first = await Promise.all(calls);
  for (let i = 0; i < 50; i += 1) first.push(await callTool(megan!.client, 'getUserDetails')); // fifty more, one by one
  expect(first.filter((result) => result.isError).map((result) => result.text), 'all 100 calls succeed').toEqual([]);
  expect(first.every((result) => JSON.parse(result.text).id === USERS.megan), "each returns Megan's profile").toBe(true);
  expect(graphCalls(), "100 calls of Megan's within the cache lifetime: one Graph request").toBe(1);

  // Adele's calls arrive while Graph is still answering her first one (slowly: a 429, a one-second wait
  // on the check's clock, the retry): they share that request instead of each making their own. The
  // clock moves only once every call has reached the tool, or one has gone to Graph on its own (or, for
  // a lab 03 whose answers are not event streams, after five seconds).
  tenant().faults.throttleGraph(1, 1);
  fakeClock();
  const pending = Promise.all(Array.from({ length: 20 }, () => callTool(adele!.client, 'getUserDetails')));
  await realWaitFor(() => adele!.toolCallsArrived() >= 20 || graphCalls() > 2, 5_000);
  const others = await runClockUntil(pending);
  vi.useRealTimers();
  expect(others.filter((result) => result.isError).map((result) => result.text), "Adele's 20 calls succeed").toEqual([]);
  expect(others.map((result) => JSON.parse(result.text).id), "Adele gets her own profile, never Megan's cached one").toEqual(others.map(() => USERS.adele));
  expect(graphCalls() - 1, "Adele's 20 calls, made while Graph was answering her first (a 429, then the retry): those two Graph requests and no more. Cache the promise, not the value").toBe(2);
});

check('04.4.4', async () => {
  requireSteps('04.4:rate-limit');
  const [megan, adele] = await start([USERS.megan, USERS.adele], { rateLimit: { windowSeconds: 60, limit: 20 } });
  // Both users come from 127.0.0.1: a limit keyed by IP address would stop Adele too.
  const post = (token: string) =>
    fetch(server!.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
  const statuses: number[] = [];
  let limited: Response | undefined;
  for (let i = 0; i < 30; i += 1) {
    const response = await post(megan!.provider.saved!.access_token);
    statuses.push(response.status);
    if (response.status === 429) limited ??= response;
    await response.body?.cancel();
  }
  // The limit counts every request of Megan's, connecting included: the first ten are well inside it.
  expect(statuses.slice(0, 10), 'requests within the limit are served').not.toContain(429);
  expect(statuses.slice(-5), 'a flood of 30 requests against a limit of 20 a minute: the excess gets 429').toEqual([429, 429, 429, 429, 429]);
  expect(Number(limited?.headers.get('retry-after')), '429 comes with Retry-After, in seconds').toBeGreaterThan(0);
  const served = await post(adele!.provider.saved!.access_token);
  expect(served.status, 'another user from the same address is still served').not.toBe(429);
});
