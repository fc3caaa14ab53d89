// Lab 05, the resource server whose authorization server is Entra (the fake tenant):
//   - with a user token for its API in `--header`: the call succeeds, the server reading Graph on the
//     user's behalf (on-behalf-of);
//   - with the Inspector's own OAuth and the pre-registered client ID: the tenant refuses, as the guide
//     says it does, first with AADSTS50011 (the CLI's callback path, /oauth/callback, is not a redirect
//     URI of the client), then, with `--callback-url http://127.0.0.1:6276/`, with AADSTS9010010 (the
//     `resource` the Inspector sends is the server's URL, not an identifier URI of the API: gap 2).
import { join } from 'node:path';
import { APPS } from '#shared/entra/built-in-tenant.ts';
import { inspectorCliArgs, LAB_TOOLS, ROOT_CALLBACK_URL, type InspectorAuth } from '../../client-commands.ts';
import type { Lab } from '../../manifest.ts';
import { BROWSER_IS_HONOURED, browserReports, inspectorEnv, lastWords, outcome, runInspector } from './inspector.ts';
import { startLabServer, type LabServer } from './lab-server.ts';
import { timedRow, type Row } from './rows.ts';
import type { InteropRun } from './run.ts';
import { userTokenForServerApi } from './user-token.ts';

const PERSON = 'adele@contoso.onmicrosoft.com';
const TOOL = LAB_TOOLS['05'];
const CALL_TIMEOUT_MS = 60_000;

export async function lab05Rows(lab: Lab, run: InteropRun): Promise<Row[]> {
  let server: LabServer | undefined;
  const started = await timedRow(lab.id, 'lab server', 'npm run lab -- 05 (the reference)', async () => {
    server = await startLabServer(lab, run, { scheme: 'http' });
  });
  if (!server) return [started];
  try {
    return [
      await tokenInHeader(lab, run, server),
      await refusedSignIn(lab, run, server, {}, 50011),
      await refusedSignIn(lab, run, server, { callbackUrl: ROOT_CALLBACK_URL }, 9010010),
    ];
  } finally {
    await server.process.stop();
  }
}

function tokenInHeader(lab: Lab, run: InteropRun, server: LabServer): Promise<Row> {
  return timedRow(lab.id, 'Inspector CLI, bearer token', `tools/call ${TOOL}, Adele's token in --header`, async () => {
    const token = await userTokenForServerApi(run.tenant.authority, PERSON);
    const inspector = runInspector(
      inspectorCliArgs({ method: 'tools/call', toolName: TOOL }, { url: server.mcpUrl }, { bearerToken: token }),
      inspectorEnv({ home: run.folder('inspector'), caCertPath: run.tenant.certificates.caCertPath }),
    );
    const { code, stdout } = await outcome(inspector, CALL_TIMEOUT_MS);
    if (code !== 0 || !stdout.includes(PERSON)) throw new Error(`exit ${code}, no profile of ${PERSON}: ${lastWords(inspector)}`);
  });
}

/** The Inspector's OAuth against Entra: passes when the tenant refuses with `expected`, as the guide says. */
function refusedSignIn(lab: Lab, run: InteropRun, server: LabServer, auth: Omit<InspectorAuth, 'clientId'>, expected: number): Promise<Row> {
  const how = auth.callbackUrl ? `--callback-url ${auth.callbackUrl}` : 'the default callback';
  return timedRow(lab.id, 'Inspector CLI, own OAuth', `tools/call ${TOOL}, ${how}: refused, AADSTS${expected}`, async () => {
    if (!BROWSER_IS_HONOURED) throw new Error(`the Inspector opens its browser through xdg-open, which reads BROWSER, on Linux only (this is ${process.platform})`);
    const home = run.folder('inspector');
    const report = join(home, 'browser.jsonl');
    const inspector = runInspector(
      inspectorCliArgs({ method: 'tools/call', toolName: TOOL }, { url: server.mcpUrl }, { clientId: APPS.mcpClient, ...auth }),
      inspectorEnv({ home, caCertPath: run.tenant.certificates.caCertPath, person: { user: PERSON, report } }),
    );
    // An error page leaves the Inspector waiting for a callback that never comes (as a person's browser
    // would): the row ends when the code shows (on the browser's page or in the Inspector's answer), when
    // the Inspector gives up by itself, or at the timeout.
    const seen = () => new Set([...browserReports(report).map((line) => line.aadsts), ...[...inspector.output().matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1]))]);
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    while (Date.now() < deadline && !seen().has(expected) && !(await exitedWithin(inspector.exited, 200))) {
      // waiting for the person's browser or the Inspector
    }
    await inspector.stop();
    if (!seen().has(expected)) {
      throw new Error(`expected AADSTS${expected}; the browser saw ${browserReports(report).map((line) => line.detail).join('; ') || 'nothing'}; the Inspector: ${lastWords(inspector)}`);
    }
  });
}

function exitedWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}
