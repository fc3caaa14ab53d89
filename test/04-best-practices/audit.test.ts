// Step 04.3: the audit log. One full run (sign-ins that work and fail, refused tokens, tool calls, a role
// denial, a request carrying a cookie) through the target's own pino logger, then two questions: is
// every event there, and does any line hold a token, secret, code, state or cookie?
import { afterAll, expect, vi } from 'vitest';
import { REMOTE_SERVER_SECRET, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { hop, initializeWith, location, signInAtEntra, startSignIn } from '../03-confidential-client/helpers.ts';
import { auditLogInto, callTool, CHECK_TENANT, connect, requireLab03, requireSteps, signIn, startLabServer, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(CHECK_TENANT);
const check = checksFor(lab);
const lines: string[] = [];
/** Every value that grants access and went through the server during the run. */
const secrets: Record<string, string> = { 'the client secret': REMOTE_SERVER_SECRET };
let server: RunningServer;

/**
 * The events both checks read, made once by the first check that asks. Not a beforeAll hook: a failure
 * here (lab 03 not finished, a step's TODO) then fails each check with its own message.
 */
let eventsMade: Promise<void> | undefined;
const serverEvents = () => (eventsMade ??= makeEvents());

async function makeEvents(): Promise<void> {
  requireLab03(); // the sign-ins below are lab 03's
  server = await startLabServer(tenant, { log: await auditLogInto(lines) });

  // A sign-in, step by step, keeping every value the protocol moves around.
  const { provider, authorizeUrl } = await startSignIn(server);
  secrets["the MCP client's state"] = provider.lastState;
  const entraCallback = await signInAtEntra(tenant, authorizeUrl, USERS.adele);
  secrets["Entra's authorization code"] = entraCallback.searchParams.get('code')!;
  secrets["the Entra leg's state"] = entraCallback.searchParams.get('state')!;
  const back = location(await hop(entraCallback));
  secrets["the server's one-time code"] = back.searchParams.get('code')!;
  const adele = await signIn(tenant, server, USERS.adele); // and a whole one, with session tokens
  secrets["Adele's session access token"] = adele.saved!.access_token;
  secrets["Adele's session refresh token"] = adele.saved!.refresh_token!;
  secrets['a cookie'] = 'sid-6f1c2e9a4b7d';

  await hop(entraCallback); // a replayed callback: a failed sign-in
  await initializeWith(server, 'made-up-token'); // refused: unknown
  await initializeWith(server, adele.saved!.access_token, { cookie: `session=${secrets['a cookie']}` });

  const megan = (await connect(server, await signIn(tenant, server, USERS.megan))).client;
  await callTool(megan, 'endUserSessions', { userId: USERS.alex }); // a reader calls the admin tool
  const admin = (await connect(server, adele)).client;
  await callTool(admin, 'endUserSessions', { userId: USERS.alex }); // an admin does
  await Promise.all([megan.close(), admin.close()]);

  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
  await initializeWith(server, adele.saved!.access_token); // refused: expired
  vi.useRealTimers();
}
afterAll(() => server?.close());

const events = () =>
  lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`every log line is one JSON object; this one is not: ${line.slice(0, 80)}`);
    }
  });
const ofKind = (event: string) => events().filter((entry) => entry.event === event);

check('04.3.1', async () => {
  requireSteps('04.2');
  await serverEvents();
  expect(lines.length, 'the server logs through the audit log').toBeGreaterThan(0);
  expect(events().every((entry) => typeof entry.time !== 'undefined' && typeof entry.level !== 'undefined'), 'each line has a time and a level').toBe(true);
  // These two come from your lab 03's provider, which this server runs (lab 03, step 2 asks for them).
  const fromLab03 = "(lab 03's provider logs it: see labs/03-confidential-client/README.md, step 2)";
  expect(ofKind('sign_in').map((entry) => entry.oid), `successful sign-ins, with the oid ${fromLab03}`).toContain(USERS.adele);
  expect(ofKind('sign_in_failed').length, `a failed sign-in (the replayed callback) ${fromLab03}`).toBeGreaterThan(0);
  const reasons = ofKind('token_rejected').map((entry) => entry.reason);
  expect(reasons, 'refused tokens with their reason: a made-up one').toContain('unknown_or_revoked');
  expect(reasons, 'and an expired one').toContain('expired');
  expect(
    ofKind('token_rejected').filter((entry) => entry.reason === 'expired').map((entry) => entry.oid),
    "the expired session token's event names whose session it was: the user's oid, as the field oid",
  ).toContain(USERS.adele);
  expect(ofKind('tool_call'), "tool calls with the caller's oid and the outcome").toContainEqual(expect.objectContaining({ oid: USERS.adele, tool: 'endUserSessions', outcome: 'ok' }));
  expect(ofKind('role_denied'), 'the role denial').toContainEqual(expect.objectContaining({ oid: USERS.megan, tool: 'endUserSessions' }));
});

check('04.3.2', async () => {
  requireSteps('04.3');
  await serverEvents();
  const log = lines.join('\n');
  expect(lines.length, 'the server logs through the audit log').toBeGreaterThan(10);
  expect(log.match(/eyJ[\w-]+\.eyJ[\w-]+/g) ?? [], 'no JWT-shaped string (an Entra token) in the log').toEqual([]);
  for (const [what, value] of Object.entries(secrets)) {
    expect(log.includes(value), `${what} is in the log: redact it`).toBe(false);
  }
  expect(log, 'no bearer token, even redacted ones are marked').not.toMatch(/Bearer [\w-]{20,}/);
  // Ids and outcomes only: the oid says who; a name or a sign-in name is the user's data, not an id.
  for (const name of ['Adele Vance', 'Megan Bowen', 'adele@', 'megan@']) {
    expect(log.includes(name), `the user's name "${name}" is in the log: log the oid, never the user's record (step 3 of the README: ids and outcomes only)`).toBe(false);
  }
});
