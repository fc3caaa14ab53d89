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
import { todo } from '#shared/workbook/todo.ts';

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
  throw todo('02.4');
  return server;
}

// TODO(02.4): Tell the person how to sign in, at once, the way their client can show it. A client that
// declared URL elicitation (capabilities.elicitation.url) gets a UrlElicitationRequiredError with the page
// to open (prompt.url), prompt.message and prompt.id as its elicitationId; it offers to open the page. Any
// other client (or no page to open: the browser was opened for them) gets a tool error with isError: true
// whose text is prompt.message, then to call TOOL_NAME again.
export function signInAnswer(prompt: SignInPrompt, capabilities: ClientCapabilities | undefined): CallToolResult {
  throw todo('02.4');
}

/** Tells a client that was sent the sign-in as a URL elicitation that it is done: it may call again. */
export function notifySignedIn(server: McpServer, prompt: SignInPrompt): void {
  if (!prompt.url || !server.server.getClientCapabilities()?.elicitation?.url) return; // it was never sent one
  server.server.createElicitationCompletionNotifier(prompt.id)().catch(() => {}); // the client may be gone
}

// TODO(02.4): Say what went wrong and what to do, in words safe to show a client: no token, no stack.
export function toolErrorMessage(error: unknown): string {
  throw todo('02.4');
}
