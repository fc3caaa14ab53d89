// Step 03.5: the tool, end to end: the SDK's OAuth client signs a user in, then calls getUserDetails,
// which reaches Graph /me with that user's Entra token (kept on the server).
import { afterEach, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { connect, initializeWith, requireSteps, signIn, startLabServer, useLabServer, userDetails } from './helpers.ts';
import lab from './lab.ts';

const { tenant, server } = useLabServer();
const check = checksFor(lab);
afterEach(() => {
  vi.useRealTimers();
});

const tokenRequests = () => tenant().log.count('token');

check('03.5.1', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  for (const [user, name] of [[USERS.adele, 'Adele Vance'], [USERS.megan, 'Megan Bowen'], [USERS.alex, 'Alex Wilber']] as const) {
    const { client } = await connect(server(), await signIn(tenant, server(), user));
    const details = await userDetails(client);
    expect(details.isError, details.text).toBeFalsy();
    expect(details.raw, "the tool's whole result (its text and its structuredContent) holds no Entra token: it never leaves the server").not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(JSON.parse(details.text), `the profile of the user who signed in (${name})`).toMatchObject({ id: user, displayName: name });
    await client.close();
  }
});

check('03.5.2', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  // One user, 20 tool calls across the expiry of their Entra access token: the sign-in redeems one
  // code, MSAL's cache answers the calls, and one refresh follows the expiry. Two token requests in all.
  const before = tokenRequests();
  const { client } = await connect(server(), await signIn(tenant, server(), USERS.megan));
  expect(tokenRequests() - before, 'the sign-in: one token request (the code)').toBe(1);
  for (let call = 0; call < 10; call += 1) expect((await userDetails(client)).isError, 'every tool call succeeds').toBeFalsy();
  expect(tokenRequests() - before, '10 tool calls with a fresh Entra token: MSAL answers from its cache').toBe(1);

  // Two hours later both the Entra access token and the session token have expired. The client's
  // transport meets a 401, refreshes its session token at the server and retries; the server's MSAL
  // redeems the user's Entra refresh token once.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
  for (let call = 0; call < 10; call += 1) {
    const details = await userDetails(client);
    expect(details.isError, `a tool call after the Entra token expired answered "${details.text}": call acquireTokenSilent on every tool call (it refreshes), never keep the access token yourself`).toBeFalsy();
  }
  expect(tokenRequests() - before, '10 more calls after the expiry: one refresh at Entra, not one per call').toBe(2);
  await client.close();
});

check('03.5.3', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const provider = await signIn(tenant, server(), USERS.alex);
  const { client } = await connect(server(), provider);
  expect((await userDetails(client)).isError, "a signed-in user's tool call succeeds").toBeFalsy();

  tenant().faults.revokeRefreshTokens(USERS.alex);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000); // the Entra access token expired: MSAL must refresh
  const details = await userDetails(client);
  expect(details.isError, 'the tool call reports the problem instead of failing the request').toBe(true);
  expect(details.text, 'and says what to do').toMatch(/sign in again/i);
  const next = await fetch(server().mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${provider.saved!.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  expect(next.status, 'the ended session\'s token is refused with 401, so the client signs in again').toBe(401);
  await client.close().catch(() => {});
});

check('03.5.6', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const logLines: string[] = [];
  const busyServer = await startLabServer(tenant, { logLines });
  try {
    const { client } = await connect(busyServer, await signIn(tenant, busyServer, USERS.adele));
    const graphCalls = () => tenant().log.count('graph:/me');

    // One 429 (Retry-After: 0): the Graph client's retry handler tries again, and the person never knows.
    const before = graphCalls();
    tenant().faults.throttleGraph(1, 0);
    const retried = await userDetails(client);
    expect(retried.isError, `Graph answered 429 once, with Retry-After: 0: the call must be retried and succeed (call /me with the Graph client, which retries 429, 503 and 504), got ${retried.text}`).toBeFalsy();
    expect(graphCalls() - before, 'one refused request and one retry reached Graph').toBe(2);

    // Graph keeps refusing (more 429s than the client retries): a short isError answer, and the server lives on.
    tenant().faults.throttleGraph(10, 0);
    const refused = await userDetails(client);
    expect(refused.isError, `Graph refused every try: the tool answers with isError (not a failed request), got ${refused.raw}`).toBe(true);
    expect(refused.text, 'the answer names the status Graph gave').toMatch(/429/);
    expect(refused.text, "the answer is a short message of the server's own: nothing of Graph's error body (its code, requestId, innerError)").not.toMatch(/TooManyRequests|request-id|requestId|innerError|client-request-id/i);
    expect(refused.raw, 'no Entra token in the answer').not.toMatch(/eyJ[\w-]+\.eyJ/);
    const logged = logLines.filter((line) => line.includes('graph_error'));
    expect(logged.length, 'the refusal is logged as a graph_error event, with its status').toBeGreaterThan(0);
    expect(logged.join('\n'), 'the graph_error event holds the status').toMatch(/429/);
    expect(logLines.join('\n'), 'no token in the logs').not.toMatch(/eyJ[\w-]+\.eyJ/);

    tenant().faults.reset();
    const after = await userDetails(client);
    expect(after.isError, 'once Graph answers again, so does the tool: the session was not ended for a fault of Graph\'s').toBeFalsy();
    await client.close();
  } finally {
    tenant().faults.reset();
    await busyServer.close();
  }
});

// Last in this file: the key rotation below withdraws the key every Graph token the server holds was signed with.
check('03.5.7', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const logLines: string[] = [];
  const ownServer = await startLabServer(tenant, { logLines });
  try {
    const provider = await signIn(tenant, ownServer, USERS.megan);
    const { client } = await connect(ownServer, provider);
    expect((await userDetails(client)).isError, "a signed-in user's tool call succeeds").toBeFalsy();

    // Entra withdraws the key that signed the Graph token the server holds for Megan: Graph answers 401
    // until she has a new token, and only a new sign-in brings one (MSAL's cached token is still "fresh").
    await tenant().faults.rotateKeys({ dropOld: true });
    const refused = await userDetails(client);
    expect(refused.isError, `Graph refused Megan's token (401): the tool answers with isError, got ${refused.raw}`).toBe(true);
    expect(refused.text, 'a 401 from Graph means the user\'s token is no good any more: say to sign in again').toMatch(/sign in again/i);
    expect(refused.text, 'not to try again later: waiting changes nothing for a 401, the same cached token would be refused for up to an hour').not.toMatch(/try again later/i);
    const next = await initializeWith(ownServer, provider.saved!.access_token);
    expect(next.status, 'her sessions have ended (endSessionsOf), so the client\'s next request gets 401 and its OAuth code signs her in again').toBe(401);
    expect(logLines.join('\n'), 'the refusal is logged as a graph_error event with status 401').toMatch(/graph_error.*401/);
    expect(logLines.join('\n'), 'no token in the logs').not.toMatch(/eyJ[\w-]+\.eyJ/);

    // Signed in again, she has a token signed with the new key, and the tool answers.
    const again = await connect(ownServer, await signIn(tenant, ownServer, USERS.megan));
    const after = await userDetails(again.client);
    expect(after.isError, `after a new sign-in the tool answers again, got ${after.text}`).toBeFalsy();
    await Promise.all([client.close().catch(() => {}), again.client.close()]);
  } finally {
    await ownServer.close();
  }
});
