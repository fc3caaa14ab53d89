// Step 02.4: what the tool answers when Graph refuses, in-process over the SDK's linked in-memory
// transports. The Graph calls are real (the fake Graph answers 401, 403 and 429 in Graph's shape);
// only the token each call spends is chosen by the check.
import { PublicClientApplication } from '@azure/msal-node';
import { Client as GraphClient } from '@microsoft/microsoft-graph-client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { expect, vi } from 'vitest';
import { APPS, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { authentication, localClientSettings, mcpServer, personWhoApproves, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);

async function tokenFor(clientId: string, scope: string, user: string): Promise<string> {
  const msal = new PublicClientApplication({ auth: { clientId, authority: localClientSettings().authority } });
  const result = await msal.acquireTokenByDeviceCode({ scopes: [scope], deviceCodeCallback: personWhoApproves(tenant, user).onDeviceCode });
  return result!.accessToken;
}

check('02.4.2', async () => {
  const { createMcpServer } = await mcpServer();
  const good = await tokenFor(APPS.localClient, 'User.Read', USERS.megan);
  // The registrar's token is for Graph, but holds only Application.ReadWrite.All: /me answers 403.
  const withoutUserRead = await tokenFor(APPS.registrar, 'https://graph.microsoft.com/Application.ReadWrite.All', USERS.adele);
  const { AuthenticationError } = await authentication();
  let token = 'not-a-token';
  let failure: Error | undefined; // thrown before Graph is called, when set
  const graph = GraphClient.initWithMiddleware({ authProvider: { getAccessToken: async () => token } });
  const getUserDetails = async () => {
    if (failure) throw failure;
    return graph.api('/me').select(['displayName', 'mail', 'userPrincipalName', 'id']).get();
  };

  const server = createMcpServer(getUserDetails);
  const client = new Client({ name: 'lab-02-check', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await server.connect(serverSide);
    await client.connect(clientSide);
    const errorText = async (what: string) => {
      const result = await client.callTool({ name: 'GetUserDetailsFromGraph', arguments: {} });
      const text = (result.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(' ');
      expect(result.isError, `${what}: the tool answers with isError: true, not a crash or a protocol error`).toBe(true);
      expect(text, `${what}: no token in the text`).not.toContain(token.slice(-20));
      expect(text, `${what}: no stack trace in the text`).not.toMatch(/\n\s+at /);
      return text;
    };

    expect(await errorText('Graph 401'), 'a 401 says to sign in again').toMatch(/sign.in again/i);
    token = withoutUserRead;
    expect(await errorText('Graph 403'), 'a 403 names the permission the app needs').toMatch(/User\.Read/);
    token = good;
    tenant().faults.throttleGraph(4, 0); // more 429s than the Graph client retries
    const throttled = await errorText('Graph 429');
    expect(throttled, 'a 429 says to wait').toMatch(/wait/i);
    expect(throttled, 'and to try again').toMatch(/again/i);

    // A sign-in that failed: its message already says what to check, so the tool passes it on as it is.
    failure = new AuthenticationError('Signing in to Microsoft Entra ID failed (post_request_failed): unauthorized_client. Try again; if it keeps failing, check LOCAL_CLIENT_ID and ENTRA_TENANT_ID.');
    expect(await errorText('a failed sign-in'), "an AuthenticationError's message reaches the person as it is").toBe(failure.message);
    // Anything else may hold what the server must keep: a general message, the detail only in the log.
    failure = new Error(`Unexpected reply for Authorization: Bearer ${good}`);
    const unexpected = await errorText('an unexpected error');
    expect(unexpected, 'an unexpected error: no token in the text, not even inside an error message').not.toContain(good.slice(-20));
    expect(unexpected, 'an unexpected error: a general message that points to the server\'s log (stderr), not the error\'s own text').toMatch(/log|stderr/i);
    failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { stack: 'Error: connect ECONNREFUSED 127.0.0.1:443\n    at TCPConnectWrap.afterConnect (node:net:1611:16)' });
    expect(await errorText('a network failure'), 'a network failure: no stack trace and no internals in the text').not.toMatch(/ECONNREFUSED|TCPConnectWrap/);
    failure = undefined;
    expect(logged.mock.calls.length, 'each failure is logged (console.error, on stderr) for whoever runs the server').toBeGreaterThanOrEqual(6);
    expect(printed.mock.calls.map((args) => args.join(' ')), 'nothing is logged with console.log: stdout carries JSON-RPC only').toEqual([]);

    const result = await client.callTool({ name: 'GetUserDetailsFromGraph', arguments: {} });
    expect(result.isError, 'after six failures the server still serves: the next call works').toBeFalsy();
    expect((result.structuredContent as { userPrincipalName?: string }).userPrincipalName, "and answers with the signed-in user's details").toBe('megan@contoso.onmicrosoft.com');
  } finally {
    logged.mockRestore();
    printed.mockRestore();
    await client.close();
  }
});
