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
import { todo } from '#shared/workbook/todo.ts';

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
  throw todo('03.5');
}
