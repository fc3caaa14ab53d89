// The MCP server and its one tool. The tool's result has two forms: structured content a client can
// use as data (checked against the output schema) and a line of text a model or a person can read.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AuthenticationError } from './authentication-service.ts';
import type { UserDetails } from './graph.ts';
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
  // as text; a failure becomes a result with isError: true and toolErrorMessage(error) as its text.
  throw todo('02.4');
  return server;
}

// TODO(02.4): Say what went wrong and what to do, in words safe to show a client: no token, no stack.
export function toolErrorMessage(error: unknown): string {
  throw todo('02.4');
}
