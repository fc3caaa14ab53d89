// `npx tsx src/connect.ts [MCP endpoint]`: a small MCP client for the hand run. It signs you in with the
// SDK's OAuth client and this lab's provider (pre-registered client ID, `resource` as Entra wants it),
// receives the redirect on a loopback port, then calls `whoami` and prints the answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadSettings } from '#shared/settings.ts';
import { EntraOAuthClientProvider } from './mcp-client.ts';

const settings = loadSettings({ need: ['server', 'mcpClient'] });
const serverUrl = new URL(process.argv[2] ?? `${settings.server.baseUrl}/mcp`);

// The browser comes back to http://127.0.0.1:{port}/ with ?code=...&state=... (any port: Entra allows it for loopback).
const callback = createServer();
await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
const redirectUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/`;
let sentState: string | null = null;
const provider = new EntraOAuthClientProvider({
  clientId: settings.mcpClientId,
  applicationIdUri: `api://${settings.server.clientId}`,
  redirectUrl,
  openBrowser(url) {
    sentState = url.searchParams.get('state');
    console.error(`Open this page in your browser and sign in:\n\n  ${url.href}\n`);
  },
});

try {
  if ((await auth(provider, { serverUrl })) === 'REDIRECT') {
    const code = await new Promise<string>((resolve, reject) => {
      callback.on('request', (req, res) => {
        const query = new URL(req.url ?? '/', redirectUrl).searchParams;
        res.end('You can close this page and return to the terminal.');
        if (query.get('error')) reject(new Error(`Entra refused the sign-in: ${query.get('error_description') ?? query.get('error')}`));
        else if (!sentState || query.get('state') !== sentState) reject(new Error('The redirect carried a state this client did not send: ignored.'));
        else resolve(query.get('code') ?? '');
      });
    });
    await auth(provider, { serverUrl, authorizationCode: code });
  }
  const client = new Client({ name: 'lab-05-connect', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  console.log(JSON.stringify(result.structuredContent ?? result.content, null, 2));
  await client.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  callback.close();
}
