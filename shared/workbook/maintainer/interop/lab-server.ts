// A remote lab server (03, 04, 05) started as `npm run lab -- NN` starts it: the lab's src/main.ts (which
// lab 05's hand run runs itself, and the hand-run scripts of labs 03 and 04 start around their own tour),
// from the target's lab folder (the reference solutions for `npm run interop`), under tsx with
// register.ts, pointed at the run's tenant. Only its address differs: a free port, whose callback the run
// registers on the tenant's server app.
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import type { Lab } from '../../manifest.ts';
import { targetPath } from '../../target.ts';
import { start, type Started } from './processes.ts';
import { freePort, type InteropRun } from './run.ts';

/** Every remote lab's server, as its hand run starts it. */
const SERVER_MAIN = 'src/main.ts';

export interface LabServer {
  /** The MCP endpoint, e.g. `http://localhost:41234/mcp`. */
  mcpUrl: string;
  process: Started;
}

/** Starts lab `lab`'s hand-run server on `scheme://localhost:<free port>`; resolves once it answers. */
export async function startLabServer(lab: Lab, run: InteropRun, options: { scheme: 'http' | 'https'; env?: Record<string, string> }): Promise<LabServer> {
  if (!lab.handRun?.server) throw new Error(`Lab ${lab.id}'s hand run starts no server.`);
  const baseUrl = `${options.scheme}://localhost:${await freePort()}`;
  run.registerServerCallback(baseUrl);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: run.dir,
    ...lab.handRun.env,
    ...run.labEnv(),
    SERVER_BASE_URL: baseUrl,
    ...options.env,
  };
  // The server alone: a hand-run script's tour (its sign-ins, its restart) would be a second client in the way.
  const server = start(process.execPath, [...registerArgs(), SERVER_MAIN], { cwd: targetPath(lab, '.'), env });
  await untilAnswering(baseUrl, server);
  return { mcpUrl: `${baseUrl}/mcp`, process: server };
}

/** Polls the server's protected-resource metadata until it answers (the process trusts the local CA: see interop.ts). */
async function untilAnswering(baseUrl: string, server: Started, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const answered = await fetch(`${baseUrl}/.well-known/oauth-protected-resource`).then(
      (response) => response.body?.cancel().then(() => true),
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server at ${baseUrl} did not answer within ${timeoutMs / 1000} s${exited ? ' (it exited)' : ''}`);
}
