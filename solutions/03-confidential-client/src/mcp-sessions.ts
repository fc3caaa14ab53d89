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
  // #region solution
  // #starter // Your /mcp routes go here: see step 4 in the README.
  const bearer = requireBearerAuth({
    verifier: options.verifier,
    requiredScopes: [MCP_SCOPE],
    resourceMetadataUrl: options.resourceMetadataUrl,
    expectedResource: options.resource,
  });
  const checks = [bearer, ...(options.guards ?? [])]; // who is calling first, then anything else

  router.post('/mcp', ...checks, async (req, res) => {
    if (req.header('mcp-session-id')) {
      const transport = sessions.find(req.header('mcp-session-id'), callerOf(req));
      if (!transport) return void rpcError(res, 404, 'Session not found.');
      return transport.handleRequest(req, res, req.body);
    }
    if (!isInitializeRequest(req.body)) return void rpcError(res, 400, 'Start with an initialize request.');
    const caller = callerOf(req)!;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sessionId) => sessions.add(sessionId, transport, caller),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    const mcp = await options.createMcpServer(req.auth!);
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  // GET opens the server-to-client stream, DELETE ends the session: both only for the session's user.
  const existingSession = async (req: Request, res: Response) => {
    const transport = sessions.find(req.header('mcp-session-id'), callerOf(req));
    if (!transport) return void rpcError(res, 404, 'Session not found.');
    await transport.handleRequest(req, res);
  };
  router.get('/mcp', ...checks, existingSession);
  router.delete('/mcp', ...checks, existingSession);

  // The legacy HTTP+SSE transport (deprecated, for old clients): GET /sse opens the stream and names the
  // session; POST /messages?sessionId=... carries the client's messages. Same bearer check, same binding.
  router.get('/sse', ...checks, async (req, res) => {
    const transport = new SSEServerTransport('/messages', res);
    legacySessions.add(transport.sessionId, transport, callerOf(req)!);
    res.on('close', () => legacySessions.forget(transport.sessionId));
    const mcp = await options.createMcpServer(req.auth!);
    await mcp.connect(transport);
  });
  router.post('/messages', ...checks, async (req, res) => {
    const transport = legacySessions.find(req.query.sessionId, callerOf(req));
    if (!transport) return void rpcError(res, 404, 'Session not found.');
    await transport.handlePostMessage(req, res, req.body);
  });
  // #endregion
  return router;
}
