// Step 01.4: Graph failures become messages that say what to do. Three are provoked in the fake
// tenant (a token without the permission, a token for another API, throttling beyond the Graph
// client's retries); the duplicates are Graph's own error objects.
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { expect } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { adminGraph, register, tempEnvFile, TENANT_OPTIONS, uniqueNames, type GraphClientModule } from './helpers.ts';
import lab from './lab.ts';

type ErrorsModule = typeof import('../../labs/01-registration/src/graph-errors.ts');
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
const AUTHORITY = `https://login.microsoftonline.com/${TENANT_ID}`;

/** Runs register with a Graph client that spends `token`; returns what it threw. */
async function registerWithToken(getAccessToken: () => Promise<string>): Promise<Error> {
  const { graphClient } = await importTarget<GraphClientModule>(lab, 'src/graph-client.ts');
  const run = await register();
  const options = { graph: graphClient(getAccessToken), envFile: tempEnvFile(), tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3000', names: uniqueNames(), log: () => {} };
  return failureOf(run(options));
}

/** What `running` threw. An unfinished step is rethrown as it is, so the check reads as that TODO. */
async function failureOf(running: Promise<unknown>): Promise<Error> {
  const failure = await running.then(() => undefined, (error: Error) => error);
  if (failure?.name === 'TodoError') throw failure;
  expect(failure, 'register should fail here').toBeInstanceOf(Error);
  return failure!;
}

/** A clear message: no stack trace, no token, no raw GraphError. */
function expectClear(error: Error, token?: string) {
  expect(error, 'a GraphError should be explained, not passed on').not.toBeInstanceOf(GraphError);
  expect(error.stack ?? '', 'no stack trace: the message is all a person needs').not.toMatch(/\n\s+at /);
  if (token) expect(error.message, 'never a token in a message').not.toContain(token.slice(-20));
}

check('01.4.1', async () => {
  // Alex signs in to the local client, which may only read his profile (User.Read).
  const msal = new PublicClientApplication({ auth: { clientId: APPS.localClient, authority: AUTHORITY } });
  const result = await msal.acquireTokenByDeviceCode({
    scopes: ['User.Read'],
    deviceCodeCallback: ({ userCode }) => tenant().approveDeviceCode(userCode, USERS.alex),
  });
  const token = result!.accessToken;
  const error = await registerWithToken(async () => token);
  expectClear(error, token);
  expect(error.message, 'name the role that may register apps').toMatch(/Application Administrator/);
  expect(error.message, 'name the permission the token needs').toMatch(/Application\.ReadWrite\.All/);
});

check('01.4.2', async () => {
  const graph = await adminGraph(tenant, USERS.adele);
  tenant().faults.throttleGraph(4, 0); // more 429s than the Graph client's 3 retries (Retry-After: 0, so no wait)
  const run = await register();
  const error = await failureOf(run({ graph, envFile: tempEnvFile(), tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3000', names: uniqueNames(), log: () => {} }));
  expectClear(error);
  expect(error.message, 'say it is throttling').toMatch(/throttl|429|too many/i);
  expect(error.message, 'say what to do: wait, then run again').toMatch(/wait/i);
  expect(error.message, 'and that the same command works then: run it again').toMatch(/again/i);
});

check('01.4.3', async () => {
  // A token for another API (the remote server's own) is not a Graph token: Graph answers 401.
  const server = new ConfidentialClientApplication({ auth: { clientId: APPS.remoteServer, clientSecret: REMOTE_SERVER_SECRET, authority: AUTHORITY } });
  const token = (await server.acquireTokenByClientCredential({ scopes: [`api://${APPS.remoteServer}/.default`] }))!.accessToken;
  for (const spent of [token, 'not-a-token']) {
    const error = await registerWithToken(async () => spent);
    expectClear(error, spent);
    expect(error.message, 'say to sign in again').toMatch(/sign in again/i);
  }
});

check('01.4.4', async () => {
  const { explainGraphError } = await importTarget<ErrorsModule>(lab, 'src/graph-errors.ts');
  const graphError = (status: number, code: string, message: string) => Object.assign(new GraphError(status, message), { code, requestId: 'a1b2c3' });

  const uri = explainGraphError(
    graphError(400, 'Request_BadRequest', 'Another object with the same value for property identifierUris already exists.'),
    "setting the Application ID URI of 'Server'",
  );
  expectClear(uri);
  expect(uri.message, 'say which step failed').toContain("setting the Application ID URI of 'Server'");
  expect(uri.message, 'name the Application ID URI and the other app that holds it').toMatch(/Application ID URI|identifier URI/i);
  expect(uri.message, 'say what to do: free the URI').toMatch(/remove|delete/i);

  const principal = explainGraphError(
    graphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'The service principal cannot be created because the service principal name is already in use.'),
    "creating the service principal of 'Local'",
  );
  expectClear(principal);
  expect(principal.message, 'say it already exists').toMatch(/already exists|exists already|already in use/i);
  expect(principal.message, 'say what to do: run again, and it is reused').toMatch(/again/i);

  // Graph's raw error body is for the log, not the message: it is long, and whatever Graph echoed is in it.
  const body = (code: string, message: string) =>
    JSON.stringify({ error: { code, message, innerError: { date: '2026-12-05T10:00:00', 'request-id': 'a1b2c3', 'client-request-id': 'd4e5f6', echoed: { secretText: 'Ab1Q~fake-secret-that-must-not-show-0123456' } } } });
  for (const [status, code, message, doing] of [
    [400, 'Request_BadRequest', "Invalid value specified for property 'displayName' of resource 'Application'.", "creating the app 'Local'"],
    [500, 'generalException', 'General exception while processing.', "adding a client secret to 'Server'"],
    [503, 'serviceNotAvailable', 'The service is temporarily unavailable.', "looking up the app 'Server'"],
  ] as const) {
    const explained = explainGraphError(Object.assign(graphError(status, code, message), { body: body(code, message) }), doing);
    expectClear(explained);
    expect(explained.message, `a ${status} ${code}: say which step failed`).toContain(doing);
    expect(explained.message, `a ${status} ${code}: no part of Graph's raw error body in the message (log it if you need it)`).not.toMatch(/innerError|client-request-id|\{"error"/);
    expect(explained.message, `a ${status} ${code}: never a secret in the message, even one Graph echoed`).not.toContain('fake-secret');
    expect(explained.message.length, `a ${status} ${code}: a short message a person reads (under 500 characters), not a dump`).toBeLessThan(500);
  }

  const other = new TypeError('fetch failed');
  expect(explainGraphError(other, 'anything'), 'an error that is not from Graph passes through unchanged').toBe(other);
});
