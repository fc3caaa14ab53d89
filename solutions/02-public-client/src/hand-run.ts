// `npm run lab -- 02`: the server tried by hand, the way an MCP client uses it. This script is the
// client: it starts src/server.ts over stdio with the MCP SDK's Client and calls the tool. The first call
// answers at once with how to sign in: the page and the code (a URL elicitation, which this client
// declares, as VS Code does), or a browser window the server opened. Once you have signed in, it calls
// again; then it restarts the server to show the encrypted cache at work, and prints how to connect the
// MCP Inspector, VS Code or Claude Desktop to the same server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitationCompleteNotificationSchema, UrlElicitationRequiredError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
// A hand-run helper, not the server: the one file of this lab that may import the fake tenant (to send a
// child server's requests to the local one). src/server.ts and what it imports never do: they run live.
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import { claudeDesktopConfig, inspectorCliArgs, inspectorCommand, inspectorWebArgs, LAB_02_SERVER_NAME, LAB_TOOLS, vsCodeConfig } from '#shared/workbook/client-commands.ts';

/** What the server reads from its environment; an MCP client passes only what it is told to. */
const SERVER_VARIABLES = ['WORKBOOK_MODE', 'ENTRA_TENANT_ID', 'ENTRA_AUTHORITY_HOST', 'LOCAL_CLIENT_ID', 'LOCAL_SIGN_IN', 'BROWSER', 'TOKEN_CACHE_DIR', 'TOKEN_CACHE_KEY', 'NODE_EXTRA_CA_CERTS', 'FAKE_TENANT_BRIDGE'];
/** This desktop session's, so the server can open your browser; passed to this run's server only (they change per login). */
const DESKTOP_VARIABLES = ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS'];

const serverScript = fileURLToPath(new URL('./server.ts', import.meta.url));
// Against the local fake tenant, the server also loads register.ts, which sends its Graph calls there.
const nodeArgs = process.env.FAKE_TENANT_BRIDGE ? registerArgs() : ['--import', import.meta.resolve('tsx')];
const env: Record<string, string> = {};
for (const name of SERVER_VARIABLES) if (process.env[name]) env[name] = process.env[name]!;
// The local fake tenant forgets its tokens when it stops: a fresh cache folder for each hand run against it.
if (process.env.FAKE_TENANT_BRIDGE) env.TOKEN_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'mcp-workbook-lab02-'));
const childEnv = { ...env, ...Object.fromEntries(DESKTOP_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))) };

const CALL = { name: 'GetUserDetailsFromGraph', arguments: {} };
const text = (result: CallToolResult) => result.content.map((part) => ('text' in part ? part.text : '')).join(' ');

async function callOnce(label: string): Promise<void> {
  // stderr: 'inherit' shows the server's log here, each sign-in included.
  const transport = new StdioClientTransport({ command: process.execPath, args: [...nodeArgs, serverScript], env: childEnv, stderr: 'inherit' });
  // Like VS Code, this client declares URL elicitation (MCP 2025-11-25): the server may ask it to show a page.
  const client = new Client({ name: 'lab-02-hand-run', version: '1.0.0' }, { capabilities: { elicitation: { url: {} } } });
  const completed = new Map<string, () => void>();
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, ({ params }) => completed.get(params.elicitationId)?.());
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    console.log(`\n${label}: the server lists ${tools.map((tool) => tool.name).join(', ')}`);
    const result = await callUntilSignedIn(client, completed);
    console.log(result.isError ? `  tool error: ${text(result)}` : `  ${text(result)}\n  structuredContent: ${JSON.stringify(result.structuredContent)}`);
  } finally {
    await client.close();
  }
}

/**
 * Calls the tool. When it answers with a sign-in, says what to do and waits for you (a URL elicitation:
 * until the server says the sign-in is done, at most as long as a code lasts; a browser window: until
 * you press Enter), then calls again. A few rounds at most.
 */
async function callUntilSignedIn(client: Client, completed: Map<string, () => void>): Promise<CallToolResult> {
  for (let round = 1; ; round++) {
    const answer = await client.callTool(CALL).then(
      (result) => ({ result: result as CallToolResult, elicitation: undefined }),
      (error: unknown) => {
        if (!(error instanceof UrlElicitationRequiredError)) throw error;
        return { result: undefined, elicitation: error.elicitations[0] };
      },
    );
    const browserOpened = answer.result?.isError === true && /browser window opened/i.test(text(answer.result));
    if (round > 3 || (answer.result && !browserOpened)) return answer.result ?? { isError: true, content: [{ type: 'text', text: 'You did not sign in.' }] };
    if (answer.elicitation?.mode === 'url') {
      const { elicitationId, url, message } = answer.elicitation;
      console.log(`  The server asks you to sign in (a URL elicitation: VS Code would offer to open the page):\n    ${message}\n    Open ${url}; this client calls again when the server says you are done.`);
      await new Promise<void>((resolve) => {
        completed.set(elicitationId, resolve);
        setTimeout(resolve, 15 * 60_000).unref(); // an Entra device code lasts 15 minutes
      });
    } else {
      console.log(`  ${text(answer.result!)}\n  Press Enter once you have signed in.`);
      await pressEnter();
    }
  }
}

function pressEnter(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => lines.once('line', resolve).once('close', resolve)).finally(() => lines.close()) as Promise<void>;
}

function connectionGuide(): string {
  // The commands come from the workbook's one place for them (npm run interop runs the Inspector's).
  const server = { command: process.execPath, args: [...nodeArgs, serverScript], env };
  const call = { method: 'tools/call', toolName: LAB_TOOLS['02'] } as const;
  return [
    '',
    'Connect a client of your own to this server (start the tenant first with `npm run tenant` in another',
    'terminal when you use the fake one: this run stops it when it ends):',
    '',
    'MCP Inspector, its browser UI:',
    `  ${inspectorCommand(inspectorWebArgs(server))}`,
    'MCP Inspector, one call without the UI:',
    `  ${inspectorCommand(inspectorCliArgs(call, server))}`,
    '',
    'VS Code, .vscode/mcp.json:',
    JSON.stringify(vsCodeConfig(LAB_02_SERVER_NAME, server), null, 2),
    '',
    'Claude Desktop, claude_desktop_config.json:',
    JSON.stringify(claudeDesktopConfig(LAB_02_SERVER_NAME, server), null, 2),
  ].join('\n');
}

try {
  await callOnce('First start');
  await callOnce('After a restart (the encrypted cache signs you in: no sign-in this time)');
  console.log(connectionGuide());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
