// `npm run lab -- 04`: the hardened server tried by hand, the way MCP clients use it, no browser needed.
// This script is two clients (the MCP SDK's, as the MCP Inspector is one): Megan (app role MCP.Reader)
// and Adele (MCP.Reader and MCP.Admin) sign in through the fake tenant's page, at a
// browser the script plays (browser-person.ts).
// It shows what this lab is about: HTTPS, each user's own tools, a refused call in the audit log, and a
// restart that signs nobody out (the token store is on disk, encrypted; the fake tenant keeps its keys
// and grants, so Graph still answers). The server then keeps running for a client of your own. Against
// your own tenant it signs nobody in: it says what to open.
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
// A hand-run helper, not the server: src/main.ts and what it imports never reach the fake tenant.
import { signInInBrowser } from '#shared/fake-tenant/browser-person.ts';
import { startLabServer } from '#shared/workbook/hand-run/lab-server.ts';
import { show, step, tryByHand } from '#shared/workbook/hand-run/try-by-hand.ts';
import { callTool, HandRunClient } from '#shared/workbook/hand-run/mcp-client.ts';
import { storeSettings } from './store-keys.ts';

// The server's stdout is its audit log: one JSON line per event. Each is kept to read later, and shown as
// it comes but for the http_request lines (one per request: counted at the end).
const audit: string[] = [];
const server = await startLabServer(new URL('./main.ts', import.meta.url), {
  onStdout: (line) => {
    audit.push(line);
    if (eventOf(line) !== 'http_request') console.log(`   audit | ${line}`);
    return false;
  },
});

// Under the fake tenant: the tour below, then the server keeps running for a client of your own.
await tryByHand(server, tryTheServer, {
  stopping: 'Ctrl+C stops it, and the fake tenant; `npm run lab -- 04` again finds every session where it was.',
});

function personAtBrowser(user: string) {
  return new HandRunClient(`lab 04 hand run (${user})`, (authorizationUrl, redirectUrl) =>
    signInInBrowser(authorizationUrl, { user, stopAt: redirectUrl, onStep: (text) => show(`browser: ${text}`) }),
  );
}

async function tryTheServer(): Promise<void> {
  step(`1. HTTPS: ${server.mcpUrl.origin}`);
  const answer = await fetch(new URL('/.well-known/oauth-protected-resource', server.mcpUrl));
  await answer.text();
  show(`Strict-Transport-Security: ${answer.headers.get('strict-transport-security') ?? '(none: see step 1 of the README)'}`);

  step('2. Megan (MCP.Reader) signs in: she sees, and may call, only her tools');
  const megan = personAtBrowser('megan@contoso.onmicrosoft.com');
  let client = await megan.connect(server.mcpUrl);
  show(`tools/list: ${await toolNames(client)}`);
  await showProfile(client);
  const refused = await callTool(client, 'endUserSessions', { userId: '3f5b7d9f-1a2b-4c4d-8e6f-8a0b2c4d6e82' });
  show(`endUserSessions: ${refused.isError ? `refused: ${refused.text}` : `allowed?! ${refused.text} (see step 2 of the README)`}`);
  await client.close();

  step('3. Adele (MCP.Reader and MCP.Admin) signs in');
  const adele = personAtBrowser('adele@contoso.onmicrosoft.com');
  const adeleClient = await adele.connect(server.mcpUrl);
  show(`tools/list: ${await toolNames(adeleClient)}`);
  await adeleClient.close();

  step('4. Restart the server (src/main.ts stops and starts again): nobody signs in again');
  await server.restart();
  const signIns = megan.signIns;
  client = await megan.connect(server.mcpUrl); // the same session token as before the restart
  show(`Megan's client connected with the token it had: ${megan.signIns - signIns} new sign-ins. The encrypted store kept her session,`);
  show('and the fake tenant kept its keys and grants, so the server\'s Graph token for her still works:');
  await showProfile(client);
  await client.close();

  step('5. What is on disk and in the log');
  const { path } = storeSettings();
  const stored = readFileSync(path, 'utf8');
  show(`${path}: ${stored.split('\n').length} sealed lines, the first begins ${stored.slice(0, 60)}...`);
  // What must never be readable there: any JWT, and the tokens these clients hold.
  const secrets = [megan.tokens()?.access_token, megan.tokens()?.refresh_token, adele.tokens()?.access_token].filter((value): value is string => Boolean(value));
  const holdsSecret = (text: string) => /eyJ[\w-]+\.eyJ/.test(text) || secrets.some((secret) => text.includes(secret));
  const holdsName = stored.includes('@contoso.onmicrosoft.com');
  show(holdsSecret(stored) || holdsName ? 'It holds a token or a name in plain text: see step 5 of the README.' : 'No token, no name: every line is sealed with AES-256-GCM.');
  const counts = new Map<string, number>();
  for (const event of audit.map(eventOf)) if (event) counts.set(event, (counts.get(event) ?? 0) + 1);
  show(`The audit log so far: ${[...counts].map(([event, count]) => `${event} x${count}`).join(', ')}.`);
  show(audit.some(holdsSecret) ? 'A line of it holds a token: see step 3 of the README.' : 'None of its lines holds a token or a secret.');
}

function eventOf(line: string): string | undefined {
  try {
    return (JSON.parse(line) as { event?: string }).event;
  } catch {
    return undefined; // not a JSON line: not an audit event
  }
}

async function toolNames(client: Client): Promise<string> {
  return (await client.listTools()).tools.map((tool) => tool.name).join(', ');
}

async function showProfile(client: Client): Promise<void> {
  const { isError, text } = await callTool(client, 'getUserDetails');
  if (isError) throw new Error(`getUserDetails answered with an error: ${text}`);
  const me = JSON.parse(text) as { displayName?: string; userPrincipalName?: string };
  show(`getUserDetails: ${me.displayName} (${me.userPrincipalName})`);
}
