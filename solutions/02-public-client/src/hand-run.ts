// `npm run lab -- 02`: the server tried by hand, the way an MCP client uses it. This script is the
// client: it starts src/server.ts over stdio with the MCP SDK's Client, calls the tool (sign in with the
// device code the server prints), restarts the server to show the encrypted cache at work, then prints
// how to connect the MCP Inspector, VS Code or Claude Desktop to the same server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
// A hand-run helper, not the server: the one file of this lab that may import the fake tenant (to send a
// child server's requests to the local one). src/server.ts and what it imports never do: they run live.
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import { claudeDesktopConfig, inspectorCliArgs, inspectorCommand, inspectorWebArgs, LAB_02_SERVER_NAME, LAB_TOOLS, vsCodeConfig } from '#shared/workbook/client-commands.ts';

/** What the server reads from its environment; an MCP client passes only what it is told to. */
const SERVER_VARIABLES = ['WORKBOOK_MODE', 'ENTRA_TENANT_ID', 'ENTRA_AUTHORITY_HOST', 'LOCAL_CLIENT_ID', 'TOKEN_CACHE_DIR', 'TOKEN_CACHE_KEY', 'NODE_EXTRA_CA_CERTS', 'FAKE_TENANT_BRIDGE'];

const serverScript = fileURLToPath(new URL('./server.ts', import.meta.url));
// Against the local fake tenant, the server also loads register.ts, which sends its Graph calls there.
const nodeArgs = process.env.FAKE_TENANT_BRIDGE ? registerArgs() : ['--import', import.meta.resolve('tsx')];
const env: Record<string, string> = {};
for (const name of SERVER_VARIABLES) if (process.env[name]) env[name] = process.env[name]!;
// The local fake tenant forgets its tokens when it stops: a fresh cache folder for each hand run against it.
if (process.env.FAKE_TENANT_BRIDGE) env.TOKEN_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'mcp-workbook-lab02-'));

async function callOnce(label: string): Promise<void> {
  // stderr: 'inherit' shows the server's log here, the device code prompt included.
  const transport = new StdioClientTransport({ command: process.execPath, args: [...nodeArgs, serverScript], env, stderr: 'inherit' });
  const client = new Client({ name: 'lab-02-hand-run', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    console.log(`\n${label}: the server lists ${tools.map((tool) => tool.name).join(', ')}`);
    const result = await client.callTool({ name: 'GetUserDetailsFromGraph', arguments: {} }, undefined, { timeout: 300_000 });
    const text = (result.content as Array<{ text?: string }>).map((part) => part.text).join(' ');
    console.log(result.isError ? `  tool error: ${text}` : `  ${text}\n  structuredContent: ${JSON.stringify(result.structuredContent)}`);
  } finally {
    await client.close();
  }
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
  await callOnce('After a restart (the encrypted cache signs you in: no device code this time)');
  console.log(connectionGuide());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
