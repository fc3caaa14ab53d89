// The HTTP MCP server as an OAuth resource server: it publishes where tokens come from (RFC 9728),
// answers 401 with a challenge that says so, accepts only Entra tokens issued for it, refuses pages of
// other websites (Origin, against DNS rebinding), and serves MCP statelessly, so nothing on the server
// outlives a request and no session can be hijacked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { Settings } from '#shared/settings.ts';
import { stderrLog, type Log } from './log.ts';
import { createMcpServer } from './mcp-server.ts';
import { graphOnBehalfOf } from './on-behalf-of.ts';
import { protectedResourceMetadata, resourceMetadataUrl, toolsScope } from './resource-metadata.ts';
import { createEntraTokenVerifier } from './token-verifier.ts';
import { todo } from '#shared/workbook/todo.ts';

export const MCP_PATH = '/mcp';

export interface ResourceServerOptions {
  settings: Pick<Settings, 'authority' | 'authorityHost' | 'server'>;
  /** The server's public origin, as clients reach it (default: http://127.0.0.1:{port}). */
  baseUrl?: string;
  port?: number;
  host?: string;
  /** Where the server's log events go (default: one JSON line per event on stderr). */
  log?: Log;
  /** Origins of web pages that may call /mcp besides the server's own, e.g. `https://app.contoso.com`. */
  allowedOrigins?: string[];
  /** The Graph permissions the tool asks for on the user's behalf (default: User.Read). */
  graphScopes?: string[];
  /** Who checks the bearer tokens (default: the Entra verifier of step 2). */
  verifier?: OAuthTokenVerifier;
}

export interface RunningResourceServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: URL;
  close(): Promise<void>;
}

/** Express's default error page holds a stack trace and file paths: answer JSON, and say nothing more. */
const jsonErrors: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32600, message: status === 500 ? 'Internal error' : 'Bad request' }, id: null });
};

// TODO(05.4): Refuse a page of another website (DNS rebinding). A request without an Origin header is not
// from a browser page: let it through. Otherwise compare its parsed origin (scheme, host, port) with the
// allowed set (never a string prefix); `null` and values that do not parse are refused: 403 with a
// JSON-RPC error (code -32000, id null).
export function refuseForeignOrigins(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((value) => new URL(value).origin));
  allowed.delete('null'); // a file: or data: URL has an opaque origin, which is nobody's in particular
  return (req, res, next) => {
    next(); // every origin let through: see step 4 in the README
  };
}

// TODO(05.4): Wire the server: the metadata document at its well-known URL; refuseForeignOrigins first on
// every method of /mcp, with the server's own origin and allowedOrigins; the bearer check with
// tokenVerifier, the full scope as required scope and the metadata URL (so each 401 names it); then POST
// /mcp served statelessly: a new MCP server and transport per request, no session IDs; GET and DELETE 405.
function createApp(mcpUrl: URL, { settings, log = stderrLog, allowedOrigins = [], graphScopes, verifier }: ResourceServerOptions): Express {
  const app = createMcpExpressApp({ host: mcpUrl.hostname }); // JSON bodies, and a Host check against DNS rebinding
  const clientId = settings.server.clientId;
  const metadataUrl = resourceMetadataUrl(mcpUrl);
  const graph = graphOnBehalfOf({ settings, ...(graphScopes ? { graphScopes } : {}) });
  const tokenVerifier = verifier ?? createEntraTokenVerifier({ authority: settings.authority, clientId, log });
  throw todo('05.4');
  app.use(jsonErrors);
  return app;
}

/** Starts the server; `url` is the MCP endpoint to give clients. */
export async function startResourceServer(options: ResourceServerOptions): Promise<RunningResourceServer> {
  const http: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = http.address() as AddressInfo;
  const url = new URL(MCP_PATH, options.baseUrl ?? `http://127.0.0.1:${port}`);
  http.on('request', createApp(url, options));
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
