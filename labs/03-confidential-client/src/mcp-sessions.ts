// /mcp over Streamable HTTP (and the legacy /sse + /messages pair for old clients): every request passes
// the bearer check; each MCP session has its own transport and McpServer, and belongs to the user who
// opened it. A session id is only a name for the conversation, not proof of who is talking: every
// request's verified user must be the session's user.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { MCP_SCOPE, type SessionIdentity } from './auth-provider.ts';
import { OpenSessions } from './open-sessions.ts';
import type { TokenStore } from './token-store.ts';

export interface McpRoutesOptions {
  verifier: OAuthTokenVerifier;
  /** This server as a protected resource: the resource its tokens must be for. */
  resource: URL;
  /** Where a 401 points the client: the protected-resource metadata (RFC 9728). */
  resourceMetadataUrl: string;
  /** A new McpServer for a session, given the verified caller (lab 04 shows each user only their tools). */
  createMcpServer: (caller: AuthInfo) => McpServer | Promise<McpServer>;
  /** Tells when a sign-in session ends, so the MCP sessions opened under it close at once. */
  store: Pick<TokenStore, 'onSessionEnded'>;
  /** More checks between the bearer check and the session (lab 04: a per-user rate limit, tool roles). */
  guards?: RequestHandler[];
}

const callerOf = (req: Request) => req.auth?.extra as SessionIdentity | undefined;

const rpcError = (res: Response, status: number, message: string) =>
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

export function mcpRoutes(options: McpRoutesOptions): Router {
  const router = Router();
  const sessions = new OpenSessions<StreamableHTTPServerTransport>();
  const legacySessions = new OpenSessions<SSEServerTransport>();
  options.store.onSessionEnded((grantId) => {
    sessions.closeGrant(grantId);
    legacySessions.closeGrant(grantId);
  });

  // TODO(03.4): Put /mcp and the legacy /sse pair behind requireBearerAuth (scope, resource, metadata URL), and bind each MCP session to its user.
  // Your /mcp routes go here: see step 4 in the README.
  return router;
}
