// msw clones every response; unless msw-guards drains those clones, the MCP SDK's Streamable HTTP
// client hangs on connect() (it awaits `response.body.cancel()` on each 202). This proves the fake
// tenant's msw leaves a real MCP client over loopback working, as lab 03's checks need.
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

const fake = useFakeTenant();
let server: import('node:http').Server;
let url: URL;

beforeAll(async () => {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.post('/mcp', async (req, res) => {
    // Stateless: a server and transport per request.
    const mcp = new McpServer({ name: 'probe', version: '1.0.0' });
    mcp.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

test('an MCP client connects over Streamable HTTP and calls a tool while the fake tenant is mocking', { timeout: 5_000 }, async () => {
  const client = new Client({ name: 'probe-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  const result = await client.callTool({ name: 'echo', arguments: { text: 'through msw' } });
  expect(result.content).toEqual([{ type: 'text', text: 'through msw' }]);
  await client.close();
  // The tenant was there all along; the loopback traffic passed it by.
  expect(fake.tenant().log.entries()).toEqual([]);
});
