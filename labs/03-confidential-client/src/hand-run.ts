// `npm run lab -- 03`: the server tried by hand, the way an MCP client uses it, no browser needed. This
// script is the client (the MCP SDK's, as the MCP Inspector is one). It starts src/main.ts and connects;
// the server answers 401, and Megan signs in: a person at a browser, played by the script
// (browser-person.ts), takes her through the fake tenant's sign-in page, as you would. Then it shows what
// this lab is about: the session token the client holds (the server's own, never Megan's Entra token), a
// tool call, a refresh (a new pair; the old token is dead), and a restart (the store was in memory: the
// client has to sign in again). The server then keeps running for a client of your own. Against your own
// tenant it signs nobody in: it says what to open.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// A hand-run helper, not the server: src/main.ts and what it imports never reach the fake tenant.
import { signInInBrowser } from '#shared/fake-tenant/browser-person.ts';
import { startLabServer } from '#shared/workbook/hand-run/lab-server.ts';
import { show, step, tryByHand } from '#shared/workbook/hand-run/try-by-hand.ts';
import { callTool, describeToken, HandRunClient } from '#shared/workbook/hand-run/mcp-client.ts';

const MEGAN = 'megan@contoso.onmicrosoft.com';

const server = await startLabServer(new URL('./main.ts', import.meta.url));

// Under the fake tenant: the tour below, then the server keeps running for a client of your own.
await tryByHand(server, tryTheServer);

async function tryTheServer(): Promise<void> {
  const megan = new HandRunClient('lab 03 hand run', (authorizationUrl, redirectUrl) =>
    signInInBrowser(authorizationUrl, { user: MEGAN, stopAt: redirectUrl, onStep: (text) => show(`browser: ${text}`) }),
  );

  step('1. Connect: the server answers 401, and Megan signs in');
  let client = await megan.connect(server.mcpUrl);
  const first = megan.tokens()!;
  show(`The client holds the server's session token: ${describeToken(first.access_token, first.expires_in)}, and a refresh token.`);
  show("Megan's Entra tokens stayed on the server: this client holds none of them.");

  step('2. Call the tool');
  await callGetUserDetails(client);

  step('3. Refresh: the client trades its refresh token for a new pair');
  await megan.refresh(server.mcpUrl);
  show(`A new session token: ${describeToken(megan.tokens()!.access_token)}.`);
  show(`The old one now gets ${await statusWith(first.access_token)} from /mcp: each refresh token works once, and the old pair ends with it.`);
  await client.close();
  client = await megan.connect(server.mcpUrl);
  await callGetUserDetails(client);
  await client.close();

  step('4. Restart the server (src/main.ts stops and starts again)');
  await server.restart();
  const signInsBefore = megan.signIns;
  show(`The session token now gets ${await statusWith(megan.tokens()!.access_token)}: this lab's store lives in memory, and the restart emptied it.`);
  client = await megan.connect(server.mcpUrl); // 401, the refresh token is refused too, so: sign in again
  show(`So the client sent Megan to sign in again (${megan.signIns - signInsBefore} more sign-in). Lab 04 keeps the store on disk, encrypted.`);
  await callGetUserDetails(client);
  await client.close();
}

async function callGetUserDetails(client: Client): Promise<void> {
  const { isError, text } = await callTool(client, 'getUserDetails');
  if (isError) throw new Error(`getUserDetails answered with an error: ${text}`);
  const me = JSON.parse(text) as { displayName?: string; userPrincipalName?: string; jobTitle?: string };
  show(`getUserDetails: ${me.displayName} (${me.userPrincipalName}), ${me.jobTitle ?? 'no job title'}: Graph /me, called by the server as Megan.`);
}

/** The status /mcp answers a request bearing `token` with. */
async function statusWith(token: string): Promise<number> {
  const response = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.text();
  return response.status;
}
