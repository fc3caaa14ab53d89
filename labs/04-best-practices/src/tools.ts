// The tools, per user: each MCP session gets an McpServer holding only the tools the caller's roles
// allow, so tools/list shows exactly what they may call. Every call is audited with the caller's oid
// and its outcome.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { SessionIdentity } from '../../03-confidential-client/src/auth-provider.ts';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import { graphClient, retryAfterSeconds, type ProfileCache } from './graph.ts';
import { mayCall } from './roles.ts';
import { SignInRequiredError, type GraphTokens } from './token-refresh.ts';

const PROFILE_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'officeLocation'];

export type Profile = Record<string, unknown>;

export interface ToolDependencies {
  tokens: GraphTokens;
  profiles: ProfileCache<Profile>;
  /** Ends every session of a user (admin tool). */
  endSessionsOf: (oid: string) => Promise<void>;
  log: ServerLog;
}

const text = (value: string, isError = false): CallToolResult => ({ content: [{ type: 'text', text: value }], ...(isError ? { isError } : {}) });

/** A new McpServer for one session: only the tools `roles` allow. */
export function createToolServer(caller: SessionIdentity, roles: readonly string[], deps: ToolDependencies): McpServer {
  const mcp = new McpServer({ name: 'workbook-hardened-server', version: '1.0.0' });
  const audited = (tool: string, run: () => Promise<CallToolResult>) => async (): Promise<CallToolResult> => {
    const result = await run();
    deps.log.info({ event: 'tool_call', oid: caller.user.oid, tool, outcome: result.isError ? 'error' : 'ok' }, 'tool called');
    return result;
  };

  if (mayCall(roles, 'getUserDetails')) {
    mcp.registerTool(
      'getUserDetails',
      { description: "The signed-in user's profile from Microsoft Graph (/me).", inputSchema: {} },
      audited('getUserDetails', () => userDetails(caller, deps)),
    );
  }
  if (mayCall(roles, 'endUserSessions')) {
    mcp.registerTool(
      'endUserSessions',
      {
        description: 'Admins only: sign a user out of this server everywhere (their MCP clients must sign in again).',
        inputSchema: { userId: z.uuid().describe("The user's object id (oid) in Entra ID.") },
      },
      ({ userId }) =>
        audited('endUserSessions', async () => {
          await deps.endSessionsOf(userId);
          deps.profiles.forget(userId);
          return text(`Every session of user ${userId} has ended.`);
        })(),
    );
  }
  return mcp;
}

/** The Graph client wraps what its token provider throws in a GraphError, with the error's name as `code`. */
const signInRequired = (error: unknown) =>
  error instanceof SignInRequiredError || (error instanceof GraphError && error.code === SignInRequiredError.name);

async function userDetails(caller: SessionIdentity, deps: ToolDependencies): Promise<CallToolResult> {
  const graph = graphClient(() => deps.tokens.getToken(caller.user));
  try {
    const profile = await deps.profiles.get(caller.user.oid, () => graph.api('/me').select(PROFILE_FIELDS).get());
    const { '@odata.context': _context, ...me } = profile;
    return { content: [{ type: 'text', text: JSON.stringify(me, null, 2) }], structuredContent: me };
  } catch (error) {
    if (signInRequired(error)) return text(new SignInRequiredError().message, true);
    if (error instanceof GraphError) {
      deps.log.warn({ event: 'graph_error', oid: caller.user.oid, status: error.statusCode }, 'Graph /me failed');
      if (error.statusCode === 401) {
        // Graph no longer accepts the Entra token the server holds for this user (revoked, or signed with a
        // key Entra has withdrawn): waiting changes nothing, a new sign-in does. Ending the sessions sends
        // the client's next request a 401, and its OAuth code signs the user in again.
        await deps.endSessionsOf(caller.user.oid);
        deps.profiles.forget(caller.user.oid);
        return text(new SignInRequiredError().message, true);
      }
      if (error.statusCode === 429) {
        const wait = retryAfterSeconds({ headers: error.headers ?? new Headers() });
        return text(`Microsoft Graph is busy (too many requests). Try again in ${Math.max(wait, 1)} seconds.`, true);
      }
      return text(`Microsoft Graph answered ${error.statusCode}. Try again later.`, true);
    }
    throw error;
  }
}
