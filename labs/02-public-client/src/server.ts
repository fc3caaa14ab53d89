// `node --import tsx src/server.ts`: the local MCP server over stdio. An MCP client (VS Code, Claude
// Desktop, the MCP Inspector) starts it and speaks JSON-RPC on its stdin and stdout, so everything
// else, the device code prompt included, goes to stderr.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadSettings } from '#shared/settings.ts';
import { AuthenticationService } from './authentication-service.ts';
import { cacheDirectory, cacheKey } from './cache-key.ts';
import { getUserDetails, graphClient } from './graph.ts';
import { createMcpServer } from './mcp-server.ts';

try {
  const settings = loadSettings({ need: ['localClient'] }); // the tenant and the local client's id
  const cacheDir = cacheDirectory();
  const auth = AuthenticationService.create({ settings, cacheDir, cacheKey: cacheKey(cacheDir) });
  const graph = graphClient(() => auth.acquireToken());
  const server = createMcpServer(async () => {
    try {
      return await getUserDetails(graph);
    } catch (error) {
      // Graph refused the token (revoked, or signed by a key it no longer trusts): msal would hand out the
      // same cached token again, so forget the account and let the next call sign in afresh.
      if (error instanceof GraphError && error.statusCode === 401) await auth.signOut();
      throw error;
    }
  });
  await server.connect(new StdioServerTransport());
  console.error(`The MCP server is ready on stdio (${settings.mode} mode, token cache in ${cacheDir}).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
