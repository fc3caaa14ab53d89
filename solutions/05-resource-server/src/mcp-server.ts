// The MCP server's one tool. It knows the caller only through `extra.authInfo`, which the bearer check
// filled in from a verified token: the tool never parses a token itself.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Log } from './log.ts';
import { ConsentRequiredError, type GraphMe } from './on-behalf-of.ts';

export interface ToolDependencies {
  /** Graph's `/me` for the user whose token this is (on-behalf-of). */
  me(userToken: string): Promise<GraphMe>;
  log: Log;
}

export function createMcpServer({ me, log }: ToolDependencies): McpServer {
  const server = new McpServer({ name: 'mcp-workbook-resource-server', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'Who you are, according to Microsoft Graph (your profile, read on your behalf).' },
    async (extra) => {
      const token = extra.authInfo?.token;
      if (!token) return { isError: true, content: [{ type: 'text', text: 'This tool needs a signed-in user.' }] };
      try {
        const profile = await me(token);
        return { content: [{ type: 'text', text: JSON.stringify(profile) }], structuredContent: { ...profile } };
      } catch (error) {
        if (error instanceof ConsentRequiredError) return { isError: true, content: [{ type: 'text', text: error.message }] };
        log({ event: 'whoami_failed', detail: error instanceof Error ? error.message : String(error) });
        return { isError: true, content: [{ type: 'text', text: 'Microsoft Graph could not be reached; try again later.' }] };
      }
    },
  );
  return server;
}
