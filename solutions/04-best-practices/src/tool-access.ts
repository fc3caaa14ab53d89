// The check in front of the MCP server: every tools/call is held against the caller's roles before the
// SDK sees it. A refusal is a JSON-RPC error the MCP client shows its user, and an audit event. The
// per-user tool list (tools.ts) already hides what a user may not call; this check also covers a client
// that calls a tool by name anyway, and a role removed in Entra since the session began.
import type { RequestHandler } from 'express';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import type { SessionIdentity } from '../../03-confidential-client/src/auth-provider.ts';
import { mayCall, TOOL_ROLES } from './roles.ts';

/** JSON-RPC leaves -32000..-32099 to the server: this one means "you may not". */
export const FORBIDDEN = -32003;

export interface ToolAccessOptions {
  /** The caller's current app roles (from their id token in MSAL's cache). */
  rolesOf: (identity: SessionIdentity) => Promise<string[]>;
  log: ServerLog;
}

/** One JSON-RPC message as a client sent it: any field may be missing or of any type. */
interface JsonRpcMessage {
  id?: string | number | null;
  method?: unknown;
  params?: { name?: unknown };
}

/** The tool a tools/call names, as text: a name that is not a string is no tool, so it gets no roles. */
const toolOf = (call: JsonRpcMessage): string =>
  typeof call.params?.name === 'string' ? call.params.name : (JSON.stringify(call.params?.name) ?? '(no name)');

/** The refusal's message: which role the tool needs, or that no one may call it. */
function whyForbidden(tool: string): string {
  const needed = TOOL_ROLES.get(tool);
  return needed
    ? `Forbidden: ${tool} needs the app role ${needed.join(' or ')}. Ask an administrator to assign it to you in Entra ID.`
    : `Forbidden: no one may call the tool ${tool}.`;
}

export function enforceToolRoles(options: ToolAccessOptions): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST') return next(); // GET opens a stream and DELETE ends a session: no tool runs
    const identity = req.auth?.extra as SessionIdentity;
    // TODO(04.2): Refuse every tools/call the caller's roles do not allow, alone or in a batch: audit each (event role_denied), and answer JSON-RPC errors that say which role each needs.
    // #region solution
    // #starter next(); // everyone may call every tool, as in lab 03: see step 2 in the README
    // express.json parsed the body only if it was JSON; the SDK would read any other body itself, unchecked.
    if (req.body === undefined) {
      res.status(415).json({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Send JSON-RPC messages as Content-Type: application/json.' } });
      return;
    }
    // A batch is an array of messages, and the SDK runs every one: check them all, not just the first.
    const messages: JsonRpcMessage[] = Array.isArray(req.body) ? req.body : [req.body];
    const calls = messages.filter((message) => message?.method === 'tools/call');
    if (calls.length === 0) return next();
    const roles = await options.rolesOf(identity);
    const forbidden = calls.filter((call) => !mayCall(roles, toolOf(call)));
    if (forbidden.length === 0) return next();
    // One forbidden call refuses the whole request (nothing in it runs): an audit event and an error each.
    const errors = forbidden.map((call) => {
      const tool = toolOf(call);
      options.log.warn({ event: 'role_denied', oid: identity.user.oid, tool, roles }, 'tool call refused: missing app role');
      return { jsonrpc: '2.0', id: call.id ?? null, error: { code: FORBIDDEN, message: whyForbidden(tool) } };
    });
    // Streamable HTTP reads the answer from this response; the legacy /messages endpoint answers on its
    // event stream instead, so there the refusal must be an HTTP error for the client to see it.
    res.status(req.originalUrl.startsWith('/messages') ? 403 : 200).json(Array.isArray(req.body) ? errors : errors[0]);
    // #endregion
  };
}
