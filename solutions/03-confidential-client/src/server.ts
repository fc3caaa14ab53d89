// The remote MCP server: an authorization server for MCP clients (mcpAuthRouter + EntraIdServerAuthProvider),
// Entra's redirect target (/auth/callback), and the MCP endpoints (/mcp, and the legacy /sse pair) behind
// the Origin and bearer checks. The protected resource is the server itself (its origin): one resource,
// one set of metadata, whichever of its two transports a client uses.
// Every URL comes from the settings; a check passes `port: 0` and gets whatever port is free.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { loadSettings, type Settings } from '#shared/settings.ts';
import { EntraIdServerAuthProvider, MCP_SCOPE } from './auth-provider.ts';
import { hashPresentedClientSecret } from './client-secrets.ts';
import { entraClient } from './entra-client.ts';
import { jsonErrors } from './json-errors.ts';
import { mcpRoutes } from './mcp-sessions.ts';
import { refuseForeignOrigins } from './origin-check.ts';
import { stderrLog, type ServerLog } from './server-log.ts';
import { InMemoryTokenStore, type TokenStore } from './token-store.ts';
import { createMcpServer } from './user-details.ts';

export interface ServerOptions {
  settings?: Settings;
  /** Listen here instead of the port of the settings' base URL; 0 picks a free port (the base URL follows). */
  port?: number;
  host?: string;
  store?: TokenStore;
  /** Where the server's events go (default: one line each on stderr). They never hold a token, code or state. */
  log?: ServerLog;
  /** Web origins besides the server's own whose pages may call the MCP endpoints (a browser-based client's). */
  allowedOrigins?: string[];
}

export interface RunningServer {
  /** The server's base URL and its MCP endpoint. */
  baseUrl: string;
  mcpUrl: URL;
  /** What the server remembers (for checks and the benchmark). */
  store: TokenStore;
  /** The authorization server's logic, for checks that test it without HTTP. */
  provider: EntraIdServerAuthProvider;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const settings = options.settings ?? loadSettings({ need: ['server'] });
  const log = options.log ?? stderrLog;
  const configured = new URL(settings.server.baseUrl);
  const host = options.host ?? '127.0.0.1';

  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? Number(configured.port || 80), host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const baseUrl = options.port === undefined ? settings.server.baseUrl : `http://${host}:${port}`;
  const mcpUrl = new URL('/mcp', baseUrl);
  const resource = new URL(baseUrl);

  const msal = entraClient(settings);
  const store = options.store ?? new InMemoryTokenStore();
  const provider = new EntraIdServerAuthProvider({ msal, store, entraRedirectUri: `${baseUrl}/auth/callback`, resource, log });

  // JSON bodies, and a Host-header check against DNS rebinding (only localhost names are accepted).
  const app = createMcpExpressApp({ host });
  app.use(['/token', '/revoke'], hashPresentedClientSecret());
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(baseUrl), resourceServerUrl: resource, scopesSupported: [MCP_SCOPE], resourceName: 'MCP Workbook Remote Server' }));
  app.get('/auth/callback', (req, res) => provider.handleCallback(req, res));
  // Before anything else on the MCP endpoints: a page from another web origin gets nothing, token or not.
  app.use(['/mcp', '/sse', '/messages'], refuseForeignOrigins([resource.origin, ...(options.allowedOrigins ?? [])]));
  app.use(
    mcpRoutes({
      verifier: provider,
      resource,
      resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(resource),
      createMcpServer: () => createMcpServer({ msal, endSessionsOf: (user) => provider.endSessionsOf(user), log }),
      store,
    }),
  );
  app.use(jsonErrors(log));
  http.on('request', app);

  return {
    baseUrl,
    mcpUrl,
    store,
    provider,
    close: () => closeServer(http),
  };
}

function closeServer(http: Server): Promise<void> {
  http.closeAllConnections(); // open MCP streams would otherwise keep close() waiting
  return new Promise((resolve) => http.close(() => resolve()));
}
