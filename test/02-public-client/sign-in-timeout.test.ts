// Step 02.4 with a real client's patience: an MCP client gives up on a call after 60 s (the SDK's and the
// MCP Inspector's default), and the person takes 75 s to sign in. The learner's whole server runs
// in-process (AuthenticationService, Graph, the tool, as server.ts puts them together) behind the SDK's
// Client on the linked in-memory transports, against a fake tenant that asks msal to poll every 5 s,
// as Entra does. The check moves a fake clock (Date and timers) instead of waiting for minutes.
import { setTimeout as realSleep } from 'node:timers/promises'; // not faked: vitest fakes the global timers
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, expect, onTestFinished, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor, todoFailure } from '#shared/workbook/check.ts';
import { ANSWER_AT_ONCE_MS, authenticationService, DEVICE_LOGIN, deviceCodeSignIns, graphModule, mcpServer } from './helpers.ts';
import lab from './lab.ts';
import { toolText } from './stdio-server.ts';

const { tenant } = useFakeTenant({ reuseSigningKeys: true }); // Entra's own polling interval: 5 s
const check = checksFor(lab);
afterEach(() => {
  vi.useRealTimers();
});

const CALL = { name: 'GetUserDetailsFromGraph', arguments: {} };
const CLIENT_TIMEOUT_MS = 60_000;

check('02.4.5', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {}); // the server's log
  onTestFinished(() => void vi.restoreAllMocks());
  const auth = await authenticationService(tenant);
  const { getUserDetails, graphClient } = await graphModule();
  const { createMcpServer } = await mcpServer();
  const graph = graphClient(() => auth.acquireToken());
  const server = createMcpServer(async () => {
    await auth.acquireToken();
    return getUserDetails(graph);
  });
  const client = new Client({ name: 'lab-02-check', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  onTestFinished(() => client.close());

  vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] }); // performance: the tenant times polls by it
  const call = () =>
    client.callTool(CALL, undefined, { timeout: CLIENT_TIMEOUT_MS }).then(
      (result) => ({ result, error: undefined }),
      (error: Error) => ({ result: undefined, error }),
    );
  const first = call();
  await Promise.race([first, realSleep(ANSWER_AT_ONCE_MS)]); // the answer's requests to Entra take real time
  await vi.advanceTimersByTimeAsync(CLIENT_TIMEOUT_MS); // a minute goes by: the client's patience is spent
  const answered = await first;
  if (answered.error) {
    throw todoFailure(answered.error) ?? new Error(`the first call got no answer before the client gave up after ${CLIENT_TIMEOUT_MS / 1000} s (${answered.error.message}): the tool waits for the person. Answer at once with how to sign in.`);
  }
  const [pending] = tenant().pendingDeviceCodes();
  expect(pending, 'the first call answered with a device code sign-in that waits for the person').toBeDefined();
  expect(toolText(answered.result), 'the first answer names the code to enter').toContain(pending!.userCode);

  await vi.advanceTimersByTimeAsync(5_000); // 65 s: the person has not signed in yet; the client asks again
  const meanwhile = await call();
  expect(meanwhile.error, 'a call made while the person signs in is answered too').toBeUndefined();
  expect(toolText(meanwhile.result!), 'after 65 s, longer than any tool call lasts, the same sign-in goes on: the same code, not a new one').toContain(pending!.userCode);

  await vi.advanceTimersByTimeAsync(10_000); // 75 s: the person enters the code
  await tenant().enterDeviceCode(DEVICE_LOGIN, pending!.userCode, USERS.adele);
  let next = await call();
  for (let turns = 0; turns < 40 && next.result?.isError; turns++) {
    await vi.advanceTimersByTimeAsync(1_000); // msal polls every 5 s: its next poll finds the tokens
    await realSleep(20); // and its request, served in-process, takes a moment of real time
    next = await call();
  }
  if (next.error) throw todoFailure(next.error) ?? next.error;
  expect(next.result!.isError, `the next call after the person signed in returns the profile, not: ${toolText(next.result!)}`).toBeFalsy();
  expect(next.result!.structuredContent, 'the profile of the person who signed in after 75 s').toMatchObject({ id: USERS.adele });
  expect(deviceCodeSignIns(tenant), 'one sign-in in all: no new code at any call').toBe(1);
});
