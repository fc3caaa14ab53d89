// Step 04.2: app roles decide what each user sees and may call. Adele holds MCP.Reader and MCP.Admin,
// Megan MCP.Reader, Alex no role at all.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { callTool, connect, signIn, startLabServer, toolNames, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);
const logLines: string[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startLabServer(tenant, { logLines });
});
afterAll(() => server?.close());

const connectAs = async (user: string) => (await connect(server, await signIn(tenant, server, user))).client;

check('04.2.1', async () => {
  const seen: Record<string, string[]> = {};
  for (const [name, user] of [['Adele (Reader, Admin)', USERS.adele], ['Megan (Reader)', USERS.megan], ['Alex (no role)', USERS.alex]] as const) {
    const client = await connectAs(user);
    seen[name] = await toolNames(client).catch(() => []); // a server with no tool for you may not list tools at all
    await client.close();
  }
  expect(seen['Adele (Reader, Admin)'], 'an admin sees both tools').toEqual(['endUserSessions', 'getUserDetails']);
  expect(seen['Megan (Reader)'], 'a reader sees getUserDetails only, not the admin tool').toEqual(['getUserDetails']);
  expect(seen['Alex (no role)'], 'a user with no app role sees no tool (deny by default)').toEqual([]);
});

check('04.2.2', async () => {
  const megan = await connectAs(USERS.megan);
  logLines.length = 0;
  const refused = await callTool(megan, 'endUserSessions', { userId: USERS.adele });
  expect(refused.isError, "a reader's call of the admin tool is refused").toBe(true);
  expect(refused.rpcError, `refused before the MCP server runs anything: a JSON-RPC error (got: ${refused.text})`).toBeDefined();
  expect(refused.text, 'the error says it is forbidden').toMatch(/forbidden/i);
  expect(refused.text, 'and names the role it needs').toContain('MCP.Admin');
  const denial = logLines.find((line) => line.includes('"role_denied"'));
  expect(denial, 'the refusal is audited: a role_denied event').toBeDefined();
  expect(denial, "with the caller's oid and the tool").toContain(USERS.megan);
  expect(denial).toContain('endUserSessions');

  const alex = await connectAs(USERS.alex);
  const noRole = await callTool(alex, 'getUserDetails');
  expect(noRole.rpcError, 'a user with no role cannot call even the reader tool').toBeDefined();
  expect(noRole.text).toMatch(/MCP\.Reader/);

  // The legacy HTTP+SSE transport goes through the same check.
  const legacy = new Client({ name: 'lab 04 check (legacy SSE)', version: '1.0.0' });
  await legacy.connect(new SSEClientTransport(new URL('/sse', server.baseUrl), { authProvider: await signIn(tenant, server, USERS.megan) }));
  const overSse = await callTool(legacy, 'endUserSessions', { userId: USERS.alex });
  expect(overSse.text, 'over the legacy /sse + /messages pair the call is refused too').toMatch(/forbidden/i);
  await legacy.close();

  // The admin's call goes through: Megan's sessions end, so her next request is a 401.
  const adele = await connectAs(USERS.adele);
  const done = await callTool(adele, 'endUserSessions', { userId: USERS.megan });
  expect(done.isError, `an admin may call the admin tool (${done.text})`).toBe(false);
  const after = await callTool(megan, 'getUserDetails');
  expect(after.isError, "Megan's session has ended: her next call fails").toBe(true);
  for (const client of [megan, alex, adele]) await client.close().catch(() => {});
});
