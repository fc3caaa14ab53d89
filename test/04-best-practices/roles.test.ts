// Step 04.2: app roles decide what each user sees and may call. Adele holds MCP.Reader and MCP.Admin,
// Megan MCP.Reader, Alex no role at all.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { APPS, REMOTE_SERVER_ROLES, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { callTool, connect, postInSession, requireSteps, signIn, toolNames, toolsCall, useLabServer, type RpcAnswer } from './helpers.ts';
import lab from './lab.ts';

const check = checksFor(lab);
const logLines: string[] = [];
const { tenant, server } = useLabServer({ logLines });

const connectAs = async (user: string) => (await connect(server(), await signIn(tenant, server(), user))).client;

check('04.2.1', async () => {
  requireSteps('04.2');
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
  requireSteps('04.2');
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
  expect(denial, 'and the tool that was refused (endUserSessions)').toContain('endUserSessions');

  const alex = await connectAs(USERS.alex);
  const noRole = await callTool(alex, 'getUserDetails');
  expect(noRole.rpcError, 'a user with no role cannot call even the reader tool').toBeDefined();
  expect(noRole.text, 'the refusal names the role it needs (MCP.Reader)').toMatch(/MCP\.Reader/);

  // The legacy HTTP+SSE transport goes through the same check.
  const legacy = new Client({ name: 'lab 04 check (legacy SSE)', version: '1.0.0' });
  await legacy.connect(new SSEClientTransport(new URL('/sse', server().baseUrl), { authProvider: await signIn(tenant, server(), USERS.megan) }));
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

// A hostile client writes its requests by hand. JSON-RPC lets one POST carry a batch (an array of
// messages), and the SDK runs each of them; a tool name is any JSON value the client likes.
check('04.2.3', async () => {
  requireSteps('04.2');
  const open = async (user: string) => {
    const provider = await signIn(tenant, server(), user);
    const { client, transport } = await connect(server(), provider);
    return { client, session: { token: provider.saved!.access_token, sessionId: transport.sessionId! } };
  };
  const where = 'see step 2 of the README: check every message of a batch';
  const refusalOf = (answers: RpcAnswer[], id: number) => answers.find((answer) => answer.id === id)?.error?.code;
  const deniedLines = (oid: string) => logLines.filter((line) => line.includes('"role_denied"') && line.includes(oid) && line.includes('endUserSessions'));
  const victim = await open(USERS.alex); // whose sessions a forbidden endUserSessions would end
  const stillSignedIn = (after: string) =>
    victim.client.ping().then(
      () => undefined,
      () => expect.fail(`Alex's sessions ended after ${after}: a forbidden endUserSessions ran (${where})`),
    );
  const end = { userId: USERS.alex };

  // A reader (MCP.Reader) calls the admin tool inside a batch: alone, and after a call they may make.
  const megan = await open(USERS.megan);
  const batches = [
    { what: 'a one-item batch [endUserSessions]', body: [toolsCall(31, 'endUserSessions', end)], id: 31 },
    { what: 'a batch [getUserDetails, endUserSessions]', body: [toolsCall(32, 'getUserDetails'), toolsCall(33, 'endUserSessions', end)], id: 33 },
  ];
  for (const { what, body, id } of batches) {
    logLines.length = 0;
    const { status, text, answers } = await postInSession(server().mcpUrl, megan.session, JSON.stringify(body));
    expect(refusalOf(answers, id), `a reader sends ${what}: its endUserSessions call (id ${id}) is answered with a JSON-RPC FORBIDDEN error (-32003), ${where} (got ${status}: ${text.slice(0, 300)})`).toBe(-32003);
    expect(deniedLines(USERS.megan).length, `a reader sends ${what}: the refusal is audited (role_denied, with their oid and endUserSessions)`).toBeGreaterThan(0);
  }
  // The same batch however its body is sent: the guard must see every body the SDK would read.
  const oneItem = JSON.stringify([toolsCall(34, 'endUserSessions', end)]);
  const chunked = () => new ReadableStream<Uint8Array>({ start: (stream) => (stream.enqueue(new TextEncoder().encode(oneItem)), stream.close()) });
  const encodings: Array<{ what: string; body: string | Uint8Array | ReadableStream<Uint8Array>; headers: Record<string, string> }> = [
    { what: 'Content-Type: Application/JSON; charset=utf-8', body: oneItem, headers: { 'content-type': 'Application/JSON; charset=utf-8' } },
    { what: 'Content-Type: application/json; (an empty parameter)', body: oneItem, headers: { 'content-type': 'application/json;' } },
    { what: 'Content-Encoding: gzip', body: gzipSync(oneItem), headers: { 'content-encoding': 'gzip' } },
    { what: 'Transfer-Encoding: chunked', body: chunked(), headers: {} },
  ];
  for (const { what, body, headers } of encodings) {
    const { status, text, answers } = await postInSession(server().mcpUrl, megan.session, body, headers);
    const refused = refusalOf(answers, 34) === -32003 || (status >= 400 && status < 500); // a 4xx runs nothing
    expect(refused, `a reader's one-item batch sent with ${what} is refused, ${where} (got ${status}: ${text.slice(0, 300)})`).toBe(true);
  }
  await stillSignedIn("a reader's batches");

  // An admin whose MCP.Admin role was removed in Entra after her session began: that session still
  // holds the admin tool, so only the check in front of the SDK stands between her and it.
  const adele = await open(USERS.adele);
  const model = tenant().model;
  const admin = model.roleAssignments.findIndex((role) => role.principalId === USERS.adele && role.resourceAppId === APPS.remoteServer && role.appRoleId === REMOTE_SERVER_ROLES.admin.id);
  expect(admin, 'the fake tenant gives Adele MCP.Admin').toBeGreaterThanOrEqual(0);
  const [removed] = model.roleAssignments.splice(admin, 1);
  try {
    await signIn(tenant, server(), USERS.adele); // her new id token, without the role, reaches the server
    logLines.length = 0;
    const { status, text, answers } = await postInSession(server().mcpUrl, adele.session, JSON.stringify([toolsCall(35, 'endUserSessions', end)]));
    expect(refusalOf(answers, 35), `a former admin's one-item batch [endUserSessions] in the session she opened as admin is refused with -32003, ${where} (got ${status}: ${text.slice(0, 300)})`).toBe(-32003);
    await stillSignedIn("a former admin's batch");
    expect(deniedLines(USERS.adele).length, "the former admin's refused call is audited (role_denied)").toBeGreaterThan(0);
  } finally {
    model.roleAssignments.push(removed!);
  }

  // A tool the role table does not list, names every JavaScript object answers to, and a name that is
  // not a string: refused (deny by default), never a 500.
  for (const [who, caller] of [['Alex (no role)', victim], ['Megan (MCP.Reader)', megan]] as const) {
    for (const [id, name] of [[40, 'deleteAllUsers'], [41, 'constructor'], [42, '__proto__'], [43, 'toString'], [44, 'hasOwnProperty'], [45, { toString: 'x' }]] as const) {
      const { status, text, answers } = await postInSession(server().mcpUrl, caller.session, JSON.stringify(toolsCall(id, name)));
      const shown = JSON.stringify(name);
      expect(status, `${who} calling the tool ${shown}: an answer, not a server error: look tools up with TOOL_ROLES.get, so no name reaches Object.prototype, and never turn an odd name into text with String() or a template (see step 2 of the README) (got ${status}: ${text.slice(0, 200)})`).toBeLessThan(500);
      expect(refusalOf(answers, id), `${who} calling the tool ${shown} is refused with a JSON-RPC FORBIDDEN error (-32003): deny by default, a tool TOOL_ROLES does not hold is nobody's (got ${status}: ${text.slice(0, 200)})`).toBe(-32003);
    }
  }
  await stillSignedIn('all of these calls');
  for (const { client } of [victim, megan, adele]) await client.close().catch(() => {});

  // A POST whose body express.json left alone (req.body is undefined): the SDK would read that body
  // itself, after the check. The guard, called as Express would call it, must answer it, not pass it on.
  const { enforceToolRoles } = await importTarget<typeof import('../../labs/04-best-practices/src/tool-access.ts')>(lab, 'src/tool-access.ts');
  const guard = enforceToolRoles({ rolesOf: async () => ['MCP.Reader'], log: { info() {}, warn() {}, error() {} } });
  const answered = { status: 200, sent: false };
  const res = {
    status: (code: number) => ((answered.status = code), res),
    sendStatus: (code: number) => ((answered.status = code), (answered.sent = true), res),
    json: () => ((answered.sent = true), res),
    send: () => ((answered.sent = true), res),
    end: () => ((answered.sent = true), res),
    setHeader: () => res,
    set: () => res,
    type: () => res,
  };
  let passedOn = false;
  const unparsed = { method: 'POST', body: undefined, originalUrl: '/mcp', url: '/mcp', headers: { 'content-type': 'application/json' }, auth: { extra: { user: { oid: USERS.megan, homeAccountId: `${USERS.megan}.tid` } } } };
  await guard(unparsed as never, res as never, () => void (passedOn = true));
  expect(passedOn, `a POST whose body express.json did not parse (req.body undefined) was passed on to the SDK, which reads such a body itself, unseen by the role check: refuse it (${where})`).toBe(false);
  expect(answered.sent && answered.status >= 400 && answered.status < 500, `and answer it with a 4xx error (got ${answered.sent ? answered.status : 'no answer'})`).toBe(true);
});
