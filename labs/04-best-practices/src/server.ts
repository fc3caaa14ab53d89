// Lab 03's remote MCP server, hardened. The authorization server (EntraIdServerAuthProvider), the MCP
// session handling and the token store interface are lab 03's, unchanged: your own lab 03, imported from
// the lab folder beside this one (../../03-confidential-client/). This file wires in what this lab adds:
// HTTPS and HSTS, the audit log, per-user rate limits, role checks on tools, Graph back-off and caching,
// single-flight token refresh, and (in main.ts) the encrypted, persistent token store.
import type { AddressInfo } from 'node:net';
import type { ICachePlugin } from '@azure/msal-node';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { loadSettings, type Settings } from '#shared/settings.ts';
import { EntraIdServerAuthProvider, MCP_SCOPE, type SessionIdentity } from '../../03-confidential-client/src/auth-provider.ts';
import { hashPresentedClientSecret } from '../../03-confidential-client/src/client-secrets.ts';
import { entraClient } from '../../03-confidential-client/src/entra-client.ts';
import { jsonErrors } from '../../03-confidential-client/src/json-errors.ts';
import { mcpRoutes } from '../../03-confidential-client/src/mcp-sessions.ts';
import { refuseForeignOrigins } from '../../03-confidential-client/src/origin-check.ts';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import { InMemoryTokenStore, type TokenStore } from '../../03-confidential-client/src/token-store.ts';
import { auditedVerifier, createAuditLog, requestLog } from './audit.ts';
import { ProfileCache } from './graph.ts';
import { createWebServer, hsts, trustGateway, type WebServer } from './https.ts';
import { perUserRateLimit, type RateLimit } from './rate-limit.ts';
import { rolesOf } from './roles.ts';
import { enforceToolRoles } from './tool-access.ts';
import { GraphTokens } from './token-refresh.ts';
import { createToolServer, type Profile } from './tools.ts';

export interface ServerOptions {
  settings?: Settings;
  /** Listen here instead of the port of the settings' base URL; 0 picks a free port (the base URL follows). */
  port?: number;
  host?: string;
  /** Lab 03's in-memory store unless given (main.ts gives the encrypted one). */
  store?: TokenStore;
  /** Where MSAL keeps the users' Entra tokens (the encrypted store's plugin); default: memory. */
  msalCache?: ICachePlugin;
  /** The audit log (default: JSON lines on stdout). */
  log?: ServerLog;
  /** Refuse plain HTTP (default: NODE_ENV=production). */
  production?: boolean;
  rateLimit?: RateLimit;
  /** Web origins besides the server's own whose pages may call the MCP endpoints. */
  allowedOrigins?: string[];
}

export interface RunningServer {
  baseUrl: string;
  mcpUrl: URL;
  store: TokenStore;
  provider: EntraIdServerAuthProvider;
  /** The users' Graph tokens, for checks that test refresh under concurrency. */
  graphTokens: GraphTokens;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const settings = options.settings ?? loadSettings({ need: ['server'] });
  const log = options.log ?? createAuditLog();
  const configured = new URL(settings.server.baseUrl);
  // Loopback unless told otherwise: behind a gateway or in a container, SERVER_LISTEN (0.0.0.0:8080, say).
  const host = options.host ?? settings.server.listen?.host ?? '127.0.0.1';

  const web = await createWebServer(configured, {
    production: options.production ?? process.env.NODE_ENV === 'production',
    ...(settings.server.certificate ? { certificate: settings.server.certificate } : {}),
    behindGateway: settings.server.trustProxy !== undefined,
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(options.port ?? settings.server.listen?.port ?? Number(configured.port || (configured.protocol === 'https:' ? 443 : 80)), host, resolve);
  });
  const { port } = web.address() as AddressInfo;
  const baseUrl = options.port === undefined ? settings.server.baseUrl : `${configured.protocol}//${host}:${port}`;
  const mcpUrl = new URL('/mcp', baseUrl);
  const resource = new URL(baseUrl); // the server is the protected resource, as in lab 03

  const store = options.store ?? new InMemoryTokenStore();
  const msal = entraClient(settings, options.msalCache);
  const provider = new EntraIdServerAuthProvider({ msal, store, entraRedirectUri: `${baseUrl}/auth/callback`, resource, log });
  const verifier = auditedVerifier(provider, store, log);
  const graphTokens = new GraphTokens({ msal, endSessionsOf: (user) => provider.endSessionsOf(user), log });
  const profiles = new ProfileCache<Profile>();
  const rolesOfUser = async ({ user }: SessionIdentity) => rolesOf(await msal.getTokenCache().getAccountByHomeId(user.homeAccountId));
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(resource);

  // The SDK's Host check (DNS rebinding) knows loopback names only: add the public name clients use.
  const app = createMcpExpressApp({ host, allowedHosts: ['localhost', '127.0.0.1', '[::1]', configured.hostname] });
  app.disable('x-powered-by'); // no need to tell every caller which framework (and so which bugs) to try
  trustGateway(app, settings.server.trustProxy); // before hsts(): req.secure depends on it
  app.use(hsts());
  app.use(requestLog(log));
  app.use(['/token', '/revoke'], hashPresentedClientSecret());
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(baseUrl), resourceServerUrl: resource, scopesSupported: [MCP_SCOPE], resourceName: 'MCP Workbook Hardened Server' }));
  app.get('/auth/callback', (req, res) => provider.handleCallback(req, res));
  app.use(['/mcp', '/sse', '/messages'], refuseForeignOrigins([resource.origin, ...(options.allowedOrigins ?? [])]));
  app.use(
    mcpRoutes({
      verifier,
      resource,
      resourceMetadataUrl,
      store,
      // After lab 03's bearer check, on every MCP route: how often (rate limit), may they call that tool.
      guards: [perUserRateLimit(options.rateLimit), enforceToolRoles({ rolesOf: rolesOfUser, log })],
      createMcpServer: async (caller) => {
        const identity = caller.extra as SessionIdentity;
        return createToolServer(identity, await rolesOfUser(identity), {
          tokens: graphTokens,
          profiles,
          endSessionsOf: (oid) => store.deleteSessionsOf(oid),
          log,
        });
      },
    }),
  );
  app.use(jsonErrors(log));
  web.on('request', app);

  return { baseUrl, mcpUrl, store, provider, graphTokens, close: () => closeServer(web) };
}

function closeServer(web: WebServer): Promise<void> {
  web.closeAllConnections(); // open MCP streams would otherwise keep close() waiting
  return new Promise((resolve) => web.close(() => resolve()));
}
