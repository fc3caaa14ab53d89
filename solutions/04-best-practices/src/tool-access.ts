// The check in front of the MCP server: every tools/call is held against the caller's roles before the
// SDK sees it. A refusal is a JSON-RPC error the MCP client shows its user, and an audit event. The
// per-user tool list (tools.ts) already hides what a user may not call; this check also covers a client
// that calls a tool by name anyway, and a role removed in Entra since the session began.
import type { RequestHandler } from 'express';
import type { ServerLog } from '#lab03/server-log.ts';
import type { SessionIdentity } from '#lab03/auth-provider.ts';
import { mayCall, TOOL_ROLES } from './roles.ts';

/** JSON-RPC leaves -32000..-32099 to the server: this one means "you may not". */
export const FORBIDDEN = -32003;

export interface ToolAccessOptions {
  /** The caller's current app roles (from their id token in MSAL's cache). */
  rolesOf: (identity: SessionIdentity) => Promise<string[]>;
  log: ServerLog;
}

interface JsonRpcMessage {
  id?: string | number | null;
  method?: string;
  params?: { name?: unknown };
}

export function enforceToolRoles(options: ToolAccessOptions): RequestHandler {
  return async (req, res, next) => {
    const message = req.body as JsonRpcMessage | undefined;
    if (req.method !== 'POST' || message?.method !== 'tools/call') return next();
    const identity = req.auth?.extra as SessionIdentity;
    const tool = String(message.params?.name);
    const roles = await options.rolesOf(identity);
    // TODO(04.2): Refuse a call the caller's roles do not allow: audit it (event role_denied), and answer a JSON-RPC error that says which role it needs.
    // #region solution
    // #starter // Your role check goes here: see step 2 in the README.
    if (!mayCall(roles, tool)) {
      options.log.warn({ event: 'role_denied', oid: identity.user.oid, tool, roles }, 'tool call refused: missing app role');
      const needed = TOOL_ROLES[tool]?.join(' or ') ?? 'a role no one holds';
      // Streamable HTTP reads the answer from this response; the legacy /messages endpoint answers on its
      // event stream instead, so there the refusal must be an HTTP error for the client to see it.
      res.status(req.originalUrl.startsWith('/messages') ? 403 : 200).json({
        jsonrpc: '2.0',
        id: message.id ?? null,
        error: { code: FORBIDDEN, message: `Forbidden: ${tool} needs the app role ${needed}. Ask an administrator to assign it to you in Entra ID.` },
      });
      return;
    }
    // #endregion
    next();
  };
}
