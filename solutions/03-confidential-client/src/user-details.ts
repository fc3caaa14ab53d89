// The tool: the signed-in user's profile from Microsoft Graph /me, called with the user's own Entra
// token. The tool never sees that token's owner change: it looks the account up from the session the
// bearer check verified, and MSAL hands back a cached token or refreshes it with the stored refresh token.
import { InteractionRequiredAuthError, type ConfidentialClientApplication } from '@azure/msal-node';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SessionIdentity } from './auth-provider.ts';
import { GRAPH_SCOPES } from './entra-client.ts';
import type { ServerLog } from './server-log.ts';
import type { SignedInUser } from './token-store.ts';

/** What the tool returns about a person ($select): enough to say who is signed in, nothing more. */
const PROFILE_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'officeLocation'];

/** The Graph client retries 429, 503 and 504 on its own, honouring Retry-After. */
const graphClient = (accessToken: string) => Client.initWithMiddleware({ authProvider: { getAccessToken: async () => accessToken } });

export interface ToolOptions {
  msal: ConfidentialClientApplication;
  /** Called when Entra no longer accepts the user's sign-in: the sessions end, the client signs in again. */
  endSessionsOf: (user: SignedInUser) => Promise<void>;
  log: ServerLog;
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** One McpServer per MCP session, with the workbook's tool. */
export function createMcpServer(options: ToolOptions): McpServer {
  const mcp = new McpServer({ name: 'workbook-remote-server', version: '1.0.0' });
  mcp.registerTool(
    'getUserDetails',
    { description: "The signed-in user's profile from Microsoft Graph (/me).", inputSchema: {} },
    async (_args, extra) => getUserDetails(options, extra.authInfo?.extra as SessionIdentity | undefined),
  );
  return mcp;
}

// TODO(03.5): From the session's user to their MSAL account, to a Graph token (acquireTokenSilent), to Graph /me.
export async function getUserDetails(options: ToolOptions, identity: SessionIdentity | undefined): Promise<CallToolResult> {
  // #region solution
  if (!identity) return failure('This tool needs a signed-in user.');
  const { msal, endSessionsOf, log } = options;
  const account = await msal.getTokenCache().getAccountByHomeId(identity.user.homeAccountId);
  const signInAgain = async () => {
    // Entra wants the user back (refresh token revoked or expired): end the session, so the client's
    // next request gets 401 and its OAuth code signs the user in again.
    log.warn({ event: 'entra_sign_in_required', oid: identity.user.oid }, 'Entra wants the user to sign in again: ending their sessions');
    await endSessionsOf(identity.user);
    return failure('Your sign-in has expired. Sign in again.');
  };
  if (!account) return signInAgain();
  let accessToken: string;
  try {
    // From the cache while the token is fresh; otherwise MSAL redeems the refresh token, once.
    ({ accessToken } = await msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES }));
  } catch (error) {
    if (error instanceof InteractionRequiredAuthError) return signInAgain();
    throw error;
  }
  try {
    const { '@odata.context': _context, ...me } = (await graphClient(accessToken).api('/me').select(PROFILE_FIELDS).get()) as Record<string, unknown>;
    return { content: [{ type: 'text', text: JSON.stringify(me, null, 2) }], structuredContent: me };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    // Graph still refused after the client's retries: say so in a short, fixed message (Graph's own
    // body stays out of it) and log the status, never the token.
    log.warn({ event: 'graph_error', oid: identity.user.oid, status: error.statusCode }, 'Graph /me failed');
    // 401: Graph no longer accepts the user's Entra token (revoked, or signed with a key Entra has
    // withdrawn). Waiting changes nothing; a new sign-in does.
    if (error.statusCode === 401) return signInAgain();
    return failure(`Microsoft Graph answered ${error.statusCode}. Try again later.`);
  }
  // #endregion
}
