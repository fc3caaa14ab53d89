// Lab 02, the stdio server, started by the Inspector itself with the command the hand run prints:
//   1. mcpdo (the Inspector's connection CLI) keeps one server running across calls, as a desktop client
//      does: a tools/call, the device code approved by a person on the tenant's device login page (over
//      HTTP), and a tools/call again when the first one did not wait for the sign-in;
//   2. the Inspector CLI starts a fresh server for one tools/call, which signs in from the encrypted
//      token cache the first server wrote: no device code.
// The sign-in instructions are read where a person would read them: in the tool's answer (a server that
// answers at once, then signs in in the background), or on the server's stderr (one that holds the call
// until the person approves), which mcpdo's daemon keeps in its log.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import { enterDeviceCode } from '#shared/fake-tenant/browser-person.ts';
import { inspectorCliArgs, LAB_TOOLS, mcpdoCallArgs, mcpdoConnectArgs, type StdioServer } from '../../client-commands.ts';
import type { Lab } from '../../manifest.ts';
import { targetPath } from '../../target.ts';
import { inspectorEnv, lastWords, outcome, runInspector, runMcpdo } from './inspector.ts';
import { stoppingWith, type Started } from './processes.ts';
import { timedRow, type Row } from './rows.ts';
import type { InteropRun } from './run.ts';

const PERSON = 'megan@contoso.onmicrosoft.com';
const TOOL = LAB_TOOLS['02'];
const CONNECTION = 'lab-02';
/** Entra's device code polling interval is 5 s: a sign-in takes at least that long. */
const CALL_TIMEOUT_MS = 60_000;

export async function lab02Rows(lab: Lab, run: InteropRun): Promise<Row[]> {
  // The command a client starts: as the hand run prints it, with this run's token cache folder.
  const server: StdioServer = {
    command: process.execPath,
    args: [...registerArgs(), targetPath(lab, 'src/server.ts')],
    env: { ...run.labEnv(), TOKEN_CACHE_DIR: run.folder('lab-02-token-cache') },
  };
  const signedIn = await timedRow(lab.id, 'Inspector mcpdo, stdio', `tools/call ${TOOL}, device code approved, until signed in`, () => signInWithMcpdo(run, server));
  const cached = await timedRow(lab.id, 'Inspector CLI, stdio', `tools/call ${TOOL} on a new server: the encrypted cache`, async () => {
    const inspector = runInspector(inspectorCliArgs({ method: 'tools/call', toolName: TOOL }, server), inspectorEnv({ home: run.folder('inspector'), caCertPath: run.tenant.certificates.caCertPath }));
    const { code, stdout } = await outcome(inspector, CALL_TIMEOUT_MS);
    if (deviceCodePrompt(inspector.output())) throw new Error('the new server asked for a device code: the token cache did not sign it in');
    if (code !== 0 || !stdout.includes(PERSON)) throw new Error(`exit ${code}, no profile of ${PERSON}: ${lastWords(inspector)}`);
  });
  return [signedIn, cached];
}

async function signInWithMcpdo(run: InteropRun, server: StdioServer): Promise<string> {
  const daemonDir = run.folder('mcpdo');
  const env = { ...inspectorEnv({ home: run.folder('inspector'), caCertPath: run.tenant.certificates.caCertPath }), MCP_INSPECTOR_DAEMON_DIR: daemonDir };
  const serverLog = () => (existsSync(join(daemonDir, 'mcpdod.log')) ? readFileSync(join(daemonDir, 'mcpdod.log'), 'utf8') : '');
  return stoppingWith(() => stopDaemon(env), async () => {
    const connect = runMcpdo(mcpdoConnectArgs(CONNECTION, server), env);
    const connected = await outcome(connect, CALL_TIMEOUT_MS);
    if (connected.code !== 0) throw new Error(`mcpdo connect: exit ${connected.code}: ${lastWords(connect)}`);

    const first = runMcpdo(mcpdoCallArgs(CONNECTION, TOOL), env);
    // A server that holds the call shows the code on stderr meanwhile; one that answers at once, in its answer.
    const prompt = await untilPrompt(first, serverLog);
    if (!prompt) throw new Error(`no device code in the answer or on the server's stderr: ${lastWords(first)}`);
    await enterDeviceCode(prompt.verificationUri, prompt.userCode, { user: PERSON });
    const { code, stdout } = await outcome(first, CALL_TIMEOUT_MS);
    if (code === 0 && stdout.includes(PERSON)) return 'the call waited for the sign-in';

    // The server finishes the sign-in in the background, at its next poll of the tenant (every 5 s, as
    // Entra says): the person calls again, a little later each time, until the profile comes.
    for (let calls = 2, deadline = Date.now() + CALL_TIMEOUT_MS; ; calls += 1) {
      const again = runMcpdo(mcpdoCallArgs(CONNECTION, TOOL), env);
      const next = await outcome(again, CALL_TIMEOUT_MS);
      if (next.code === 0 && next.stdout.includes(PERSON)) return `the first call answered at once with the code; call ${calls} was signed in`;
      if (Date.now() > deadline) throw new Error(`no profile ${CALL_TIMEOUT_MS / 1000} s after the sign-in (call ${calls}: exit ${next.code}): ${lastWords(again)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * calls));
    }
  });
}

/** The device code prompt, as soon as the call's answer or the server's stderr shows one; undefined if the call ends without. */
async function untilPrompt(call: Started, serverLog: () => string): Promise<DeviceCodePrompt | undefined> {
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  let ended = false;
  void call.exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    const prompt = deviceCodePrompt(call.output()) ?? deviceCodePrompt(serverLog());
    if (prompt || ended) return prompt;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

export interface DeviceCodePrompt {
  verificationUri: string;
  userCode: string;
}

/** "open the page https://.../devicelogin and enter the code ABCD1234": the page and the code, wherever they appear. */
export function deviceCodePrompt(text: string): DeviceCodePrompt | undefined {
  const verificationUri = /https?:\/\/[^\s"'\\)]+\/devicelogin/.exec(text)?.[0];
  const userCode = /\bcode\W{1,4}([A-Z0-9]{6,12})\b/.exec(text)?.[1];
  return verificationUri && userCode ? { verificationUri, userCode } : undefined;
}

/**
 * `mcpdo daemon stop`: the daemon mcpdo started for this run (detached, so outside our process groups)
 * ends, and with it the server it kept. Should it outlive that, its own PID is ended.
 */
async function stopDaemon(env: Record<string, string>): Promise<void> {
  const status = runMcpdo(['daemon', 'status'], env, true);
  await outcome(status, 15_000).catch(() => undefined);
  const pid = Number(/Daemon pid (\d+)/.exec(status.output())?.[1] ?? 0);
  await outcome(runMcpdo(['daemon', 'stop'], env, true), 15_000).catch(() => undefined);
  for (let waited = 0; pid > 0 && isAlive(pid) && waited < 3000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
