// `node --import tsx src/server.ts`: the local MCP server over stdio. An MCP client (VS Code, Claude
// Desktop, the MCP Inspector) starts it and speaks JSON-RPC on its stdin and stdout, so everything
// else, the server's log of each sign-in included, goes to stderr.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadSettings } from '#shared/settings.ts';
import { AuthenticationService } from './authentication-service.ts';
import { cacheDirectory, cacheKey } from './cache-key.ts';
import { getUserDetails, graphClient } from './graph.ts';
import { createMcpServer, notifySignedIn } from './mcp-server.ts';
import { signInMethod } from './system-browser.ts';

try {
  const settings = loadSettings({ need: ['localClient'] }); // the tenant, the local client's id, LOCAL_SIGN_IN
  const cacheDir = cacheDirectory();
  const method = signInMethod(settings.localSignIn); // the system browser if this session has one, else a device code
  const auth = AuthenticationService.create({
    settings,
    cacheDir,
    cacheKey: cacheKey(cacheDir),
    signInMethod: method,
    onSignedIn: (prompt) => notifySignedIn(server, prompt),
  });
  const graph = graphClient(() => auth.acquireToken());
  const server = createMcpServer(async () => {
    // Signed in, or a SignInRequiredError the tool answers with at once (Graph's client would wrap it).
    await auth.acquireToken();
    try {
      return await getUserDetails(graph);
    } catch (error) {
      // Graph refused the token (revoked, or signed by a key it no longer trusts): msal would hand out the
      // same cached token again, so forget the account and let the next call sign in afresh.
      if (error instanceof GraphError && error.statusCode === 401) await auth.signOut();
      throw error;
    }
  });
  server.server.onclose = () => auth.close(); // the client went away: stop waiting for a sign-in, so the process can end
  await server.connect(new StdioServerTransport());
  console.error(`The MCP server is ready on stdio (${settings.mode} mode, sign-in: ${method}, token cache in ${cacheDir}).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
