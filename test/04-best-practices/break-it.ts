// Lab 04, break it: the hostile moves of docs/exercises.md (lab 04) and of this lab's checks, sent at the
// learner's own hardened server on the fake tenant: a reader and a former admin who reach for the admin
// tool, a reader of the audit log who collects credentials, a forger who writes an event of their own into
// that log, and a flood from one user. `npm start -- break 04` runs them; they are not part of the grade.
import { expect } from 'vitest';
import { APPS, REMOTE_SERVER_ROLES, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { answerLine, attacksFor, type Narrator } from '#shared/workbook/break-it/attack.ts';
import { hop, initializeWith, location, signInAtEntra, startSignIn, useServerFor } from '../03-confidential-client/helpers.ts';
import { auditLogInto, connect, postInSession, requireLab03, requireSteps, signIn, startLabServer, toolNames, toolsCall, type RpcAnswer, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const attack = attacksFor(lab);
/** The audit log of the server under attack, line by line: your createAuditLog writes it. */
const auditLines: string[] = [];
const { tenant, server } = useServerFor(startLabServer, async () => ({ log: await auditLogInto(auditLines) }));

/** A signed-in MCP client of `user`, and what a hand-written request needs: its session token and MCP session id. */
async function open(user: string, say: Narrator, who: string, on: RunningServer = server()) {
  const provider = await signIn(tenant, on, user);
  const { client, transport } = await connect(on, provider);
  const token = say.secret(provider.saved!.access_token, `${who}'s session token`);
  return { client, session: { token, sessionId: transport.sessionId! } };
}

/** JSON-RPC answers in one line: each id with its result or its error code and message. */
function rpcLine(status: number, answers: RpcAnswer[], text: string): string {
  if (answers.length === 0) return `${status}  ${text.replace(/\s+/g, ' ').trim().slice(0, 120)}`;
  const shown = answers.map((answer) =>
    answer.error ? `id ${answer.id}: error ${answer.error.code} "${answer.error.message.replace(/\s+/g, ' ').slice(0, 70)}…"` : `id ${answer.id}: a result`,
  );
  return `${status}  ${shown.join('; ')}`;
}

const refusalOf = (answers: RpcAnswer[], id: number) => answers.find((answer) => answer.id === id)?.error?.code;

attack('04.2.3', "a reader calls the admin tool by name, then a former admin hides it in a batch", async (say) => {
  requireSteps('04.2');
  say.note('Megan holds MCP.Reader. Alex holds no role. Adele held MCP.Admin when she opened her MCP session this morning.');
  const alex = await open(USERS.alex, say, 'Alex');
  const megan = await open(USERS.megan, say, 'Megan');
  const adele = await open(USERS.adele, say, 'Adele');

  say.send('tools/list   (Megan)');
  say.answer((await toolNames(megan.client).catch(() => [])).join(', ') || '(no tools)');
  say.send(`POST /mcp  tools/call endUserSessions {"userId":"${USERS.alex}"}   (Megan, written by hand)`);
  const byName = await postInSession(server().mcpUrl, megan.session, JSON.stringify(toolsCall(21, 'endUserSessions', { userId: USERS.alex })));
  say.answer(rpcLine(byName.status, byName.answers, byName.text));
  expect(refusalOf(byName.answers, 21), "a reader's tools/call of the admin tool was not refused with FORBIDDEN (-32003): your role check let a tool she was never shown reach the MCP server").toBe(-32003);

  // An administrator removes Adele's MCP.Admin in Entra; her next sign-in brings an id token without it.
  const model = tenant().model;
  const admin = model.roleAssignments.findIndex(
    (role) => role.principalId === USERS.adele && role.resourceAppId === APPS.remoteServer && role.appRoleId === REMOTE_SERVER_ROLES.admin.id,
  );
  expect(admin, 'the fake tenant gives Adele MCP.Admin (the attack needs it)').toBeGreaterThanOrEqual(0);
  const [removed] = model.roleAssignments.splice(admin, 1);
  try {
    await signIn(tenant, server(), USERS.adele);
    say.note('An administrator removes MCP.Admin from Adele in Entra; she signs in again elsewhere, so your server now reads her roles without it.');
    say.note('The MCP session she opened as an admin is still open, and the MCP server behind it still lists endUserSessions.');
    const batch = [toolsCall(22, 'getUserDetails'), toolsCall(23, 'endUserSessions', { userId: USERS.alex })];
    say.send(`POST /mcp  [tools/call getUserDetails, tools/call endUserSessions {"userId":"${USERS.alex}"}]   (Adele's old session, one batch)`);
    const { status, answers, text } = await postInSession(server().mcpUrl, adele.session, JSON.stringify(batch));
    say.answer(rpcLine(status, answers, text));

    say.send('ping   (Alex, the user she tried to sign out)');
    const alexStillIn = await alex.client.ping().then(
      () => true,
      () => false,
    );
    say.answer(alexStillIn ? 'pong: Alex is still signed in' : 'refused: Alex has been signed out everywhere');
    expect(alexStillIn, 'Alex was signed out everywhere by someone who no longer holds MCP.Admin: your role check did not look inside the batch, and the MCP server ran every message in it').toBe(true);
    expect(refusalOf(answers, 23), "the batch's endUserSessions call was not refused with FORBIDDEN (-32003): check each tools/call of a batch, not only req.body").toBe(-32003);
    say.note('Your role check read every message of the batch, and one forbidden call refused the whole request.');
  } finally {
    model.roleAssignments.push(removed!);
    for (const { client } of [alex, megan, adele]) await client.close().catch(() => {});
  }
});

attack('04.3.2', 'read the audit log as anyone with access to the log store would, and collect credentials', async (say) => {
  requireSteps('04.3');
  requireLab03();
  say.note('Logs are copied, shipped and kept for years. The attacker can read the log store, not your server.');
  auditLines.length = 0;
  const collected: Record<string, string> = {};

  // Megan signs in; the attacker will look for every value the protocol moved around.
  const { provider, authorizeUrl } = await startSignIn(server());
  collected["the MCP client's state"] = say.secret(provider.lastState!, "the MCP client's state");
  const callback = await signInAtEntra(tenant, authorizeUrl, USERS.megan);
  collected["Entra's authorization code"] = say.secret(callback.searchParams.get('code')!, "Entra's code");
  collected["your server's state"] = say.secret(callback.searchParams.get('state')!, "your server's state");
  say.send(`GET ${callback.pathname}${callback.search}   (Megan's browser, back from Entra)`);
  const back = location(await hop(callback));
  collected["your server's code for the client"] = say.secret(back.searchParams.get('code')!, "your server's code for the client");
  say.answer(`302  Location: ${back.href}`);

  const megan = await signIn(tenant, server(), USERS.megan);
  collected["Megan's session token"] = say.secret(megan.saved!.access_token, "Megan's session token");
  collected["Megan's refresh token"] = say.secret(megan.saved!.refresh_token!, "Megan's refresh token");
  const cookie = say.secret('sid-9d2c4e6a1b3f', 'a cookie');
  collected['a cookie'] = cookie;
  say.send(`POST /mcp  initialize   Authorization: Bearer ${megan.saved!.access_token}   Cookie: session=${cookie}`);
  say.answer(await answerLine(await initializeWith(server(), megan.saved!.access_token, { cookie: `session=${cookie}` })));
  const madeUp = say.secret('mcp-session-0f3b9e2a7c5d4e1f', 'a made-up token');
  say.send(`POST /mcp  initialize   Authorization: Bearer ${madeUp}`);
  say.answer(await answerLine(await initializeWith(server(), madeUp)));

  const log = auditLines.join('\n');
  say.note(`The attacker reads the ${auditLines.length} lines your audit log wrote meanwhile, and searches them.`);
  const found = Object.entries(collected).filter(([, value]) => log.includes(value)).map(([name]) => name);
  say.answer(found.length === 0 ? 'none of the values above is in the log' : `found in the log: ${found.join(', ')}`);
  for (const [name, value] of Object.entries(collected)) {
    expect(log.includes(value), `${name} is in the audit log: whoever reads the log can use it (redact it, or never log it)`).toBe(false);
  }
  expect(log.match(/eyJ[\w-]+\.eyJ[\w-]+/g) ?? [], 'a JWT-shaped string (an Entra token) is in the audit log').toEqual([]);
  say.note('The log names who did what by oid, and holds no value that grants access.');
});

attack('04.3.1', 'forge an audit event: a tool name that holds a line break and a JSON line of its own', async (say) => {
  requireSteps('04.2', '04.3');
  say.note('Megan (MCP.Reader) wants the log to say that Adele signed Alex out. The audit log records the tool name of each refused call.');
  const megan = await open(USERS.megan, say, 'Megan');
  const forged = JSON.stringify({ level: 30, time: new Date().toISOString(), event: 'tool_call', oid: USERS.adele, tool: 'endUserSessions', outcome: 'ok' });
  const name = `getUserDetails\n${forged}`;
  auditLines.length = 0;
  say.send(`POST /mcp  tools/call with the tool name "getUserDetails\\n${forged}"   (Megan)`);
  const { status, answers, text } = await postInSession(server().mcpUrl, megan.session, JSON.stringify(toolsCall(31, name)));
  say.answer(rpcLine(status, answers, text));
  await megan.client.close().catch(() => {});

  const lines = auditLines.join('\n').split('\n').filter((line) => line.trim() !== '');
  say.note(`Your audit log wrote ${lines.length} line(s) for that request.`);
  const events = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  });
  const forgedEvents = events.filter((event) => event?.event === 'tool_call' && event.oid === USERS.adele);
  say.answer(forgedEvents.length === 0 ? 'no line of the log says Adele called a tool' : 'a line of the log says Adele called endUserSessions, and it is the attacker\'s');
  expect(forgedEvents, "a forged tool_call event in Adele's name is in the audit log: a value the caller chose started a line of its own (write each event as one JSON object, escaped)").toEqual([]);
  expect(events.every((event) => event !== undefined), 'a line of the audit log is not one JSON object: a value the caller chose broke the line').toBe(true);
  say.note('The line break stayed inside the JSON string of one event; a log store reads one event, with the odd name as its tool.');
});

attack('04.4.4', 'flood the server from one user, while a colleague at the same address keeps working', async (say) => {
  requireSteps('04.4:rate-limit');
  requireLab03();
  const limited = await startLabServer(tenant, { rateLimit: { windowSeconds: 60, limit: 20 } });
  try {
    say.note("A fresh copy of your server, limited to 20 requests per user a minute. Megan's agent runs in a loop; Adele works from the same address (127.0.0.1).");
    const megan = await open(USERS.megan, say, 'Megan', limited);
    const adele = await open(USERS.adele, say, 'Adele', limited);
    const ping = (session: { token: string; sessionId: string }) =>
      fetch(limited.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${session.token}`,
          'mcp-session-id': session.sessionId,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    say.send('30 × POST /mcp  ping   (Megan, in her MCP session, as fast as she can; connecting took a few requests already)');
    const statuses: number[] = [];
    let throttled: Response | undefined;
    for (let i = 0; i < 30; i += 1) {
      const response = await ping(megan.session);
      statuses.push(response.status);
      if (response.status === 429 && !throttled) throttled = response;
      else await response.body?.cancel();
    }
    const count429 = statuses.filter((status) => status === 429).length;
    say.answer(`${30 - count429} answered, then ${count429} × 429${throttled ? ` with Retry-After: ${throttled.headers.get('retry-after')}` : ''}`);
    if (throttled) say.answer(await answerLine(throttled));
    say.send('POST /mcp  ping   (Adele, same address, her own session)');
    const colleague = await ping(adele.session);
    say.answer(await answerLine(colleague));

    expect(statuses.slice(-5), "Megan's flood of 30 requests against a limit of 20 a minute was not cut off: the last ones got no 429").toEqual([429, 429, 429, 429, 429]);
    expect(Number(throttled?.headers.get('retry-after')), 'the 429 does not say when to come back (Retry-After, in seconds)').toBeGreaterThan(0);
    expect(colleague.status, "Adele was turned away for Megan's flood: the limit counts by address, not by user").not.toBe(429);
    say.note('The limit counted Megan alone: her flood stopped her, and Adele was served.');
    for (const { client } of [megan, adele]) await client.close().catch(() => {});
  } finally {
    await limited.close();
  }
});
