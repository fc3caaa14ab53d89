// The MCP server and its one tool. The tool's result has two forms: structured content a client can
// use as data (checked against the output schema) and a line of text a model or a person can read.
// When the person must sign in first, the tool says so at once, in the way the client understands.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UrlElicitationRequiredError, type CallToolResult, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AuthenticationError } from './authentication-service.ts';
import type { UserDetails } from './graph.ts';
import { SignInRequiredError, type SignInPrompt } from './sign-in.ts';

export const TOOL_NAME = 'GetUserDetailsFromGraph';

/** The shape of the tool's structured content: the fields getUserDetails returns. */
export const userDetailsShape = {
  displayName: z.string().describe('The person\'s name as shown in Microsoft 365'),
  mail: z.string().nullable().describe('Their email address, if they have a mailbox'),
  userPrincipalName: z.string().describe('Their sign-in name'),
  id: z.string().describe('Their object id in the tenant'),
};

export function createMcpServer(getUserDetails: () => Promise<UserDetails>): McpServer {
  const server = new McpServer({ name: 'mcp-workbook-local', version: '1.0.0' });
  // TODO(02.4): Register the tool TOOL_NAME: a title, a description a model can choose it by, an empty
  // input schema, userDetailsShape as its output schema. It returns the details as structuredContent and
  // as text. A SignInRequiredError is answered with signInAnswer(error.prompt, the client's capabilities:
  // server.server.getClientCapabilities()); any other failure becomes a result with isError: true and
  // toolErrorMessage(error) as its text.
  // #region solution
  server.registerTool(
    TOOL_NAME,
    {
      title: 'Get my user details',
      description: 'Returns the signed-in user\'s profile from Microsoft Graph: display name, email, user principal name and id.',
      inputSchema: {},
      outputSchema: userDetailsShape,
    },
    async () => {
      try {
        const details = await getUserDetails();
        const text = `Signed in as ${details.displayName} (${details.userPrincipalName}), email ${details.mail ?? 'none'}, id ${details.id}.`;
        return { structuredContent: { ...details }, content: [{ type: 'text', text }] };
      } catch (error) {
        // The person must sign in: tell them how now; the sign-in goes on in the background.
        if (error instanceof SignInRequiredError) return signInAnswer(error.prompt, server.server.getClientCapabilities());
        // The detail goes to the server's log (stderr); the client gets a message that is safe to show.
        console.error(`${TOOL_NAME} failed: ${error instanceof Error ? error.message : String(error)}`);
        return { isError: true, content: [{ type: 'text', text: toolErrorMessage(error) }] };
      }
    },
  );
  // #endregion
  return server;
}

// TODO(02.4): Tell the person how to sign in, at once, the way their client can show it. A client that
// declared URL elicitation (capabilities.elicitation.url) gets a UrlElicitationRequiredError with the page
// to open (prompt.url), prompt.message and prompt.id as its elicitationId; it offers to open the page. Any
// other client (or no page to open: the browser was opened for them) gets a tool error with isError: true
// whose text is prompt.message, then to call TOOL_NAME again.
export function signInAnswer(prompt: SignInPrompt, capabilities: ClientCapabilities | undefined): CallToolResult {
  // #region solution
  if (prompt.url && capabilities?.elicitation?.url) {
    throw new UrlElicitationRequiredError([{ mode: 'url', elicitationId: prompt.id, url: prompt.url, message: prompt.message }]);
  }
  return { isError: true, content: [{ type: 'text', text: `${prompt.message} Then call ${TOOL_NAME} again.` }] };
  // #endregion
}

/** Tells a client that was sent the sign-in as a URL elicitation that it is done: it may call again. */
export function notifySignedIn(server: McpServer, prompt: SignInPrompt): void {
  if (!prompt.url || !server.server.getClientCapabilities()?.elicitation?.url) return; // it was never sent one
  server.server.createElicitationCompletionNotifier(prompt.id)().catch(() => {}); // the client may be gone
}

// TODO(02.4): Say what went wrong and what to do, in words safe to show a client: no token, no stack.
export function toolErrorMessage(error: unknown): string {
  // #region solution
  if (error instanceof AuthenticationError) return error.message;
  if (error instanceof GraphError) {
    switch (error.statusCode) {
      case 401:
        return 'Microsoft Graph did not accept the sign-in (401): it expired or was revoked. Call the tool again to sign in again.';
      case 403:
        return 'Microsoft Graph refused (403): the app needs the delegated permission User.Read, consented for you. Ask an administrator to grant it.';
      case 429:
        return 'Microsoft Graph is throttling requests (429), even after retrying. Wait a minute, then call the tool again.';
    }
  }
  return 'Reading your profile from Microsoft Graph failed. The server\'s log (stderr) has the details.';
  // #endregion
}
