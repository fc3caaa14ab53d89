// `npm run lab -- NN`: a hand run. Runs the script the lab's manifest names (`handRun`) from the target's
// lab folder, pointed at the local fake tenant for sign-in and for Graph. Each lab's guide says what its
// script starts and what to try. Before anything starts:
// - the fake tenant: the one on FAKE_TENANT_PORT (8443) if it is proved to be this workbook's own (from
//   `npm run tenant` in another terminal), else a new one there, carrying on from what the last run on
//   that port kept (hand-run-tenant.ts); another program on the port is refused, with the fix;
// - the lab server's port (SERVER_BASE_URL, or SERVER_LISTEN) must be free, or the run is refused with the
//   setting that moves it (hand-run-ports.ts).
// Its children are tied to it (tied-child.ts): Ctrl+C, `kill` or `kill -9` of the hand run, or of npm
// above it, stops everything it started.
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { REGISTER_MODULE } from '#shared/fake-tenant/transports/bridge.ts';
import { handRunEnv } from '#shared/fake-tenant/transports/standalone.ts';
import { listenAddress } from '#shared/listen-errors.ts';
import { loadSettings } from '#shared/settings.ts';
import { spawnTied, stopChildrenOnExit } from '../hand-run/tied-child.ts';
import { discoverLabs, findLab } from '../labs.ts';
import { displayPath } from '../repo.ts';
import { targetPath } from '../target.ts';
import { HandRunError } from './hand-run-error.ts';
import { requireFreePort } from './hand-run-ports.ts';
import { tenantForHandRun } from './hand-run-tenant.ts';

export { HandRunError } from './hand-run-error.ts';

/** Runs lab `name`'s hand run until it exits; resolves with its exit code. */
export async function handRun(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const lab = findLab(await discoverLabs(), name);
  if (!lab.handRun) throw new HandRunError(`Lab ${lab.id} has nothing to run by hand: its checks are the way to try it (npm test).`);
  const { script, args = [], description, server } = lab.handRun;
  const cwd = targetPath(lab, '.');
  targetPath(lab, script); // a clear error now if the script is missing
  const command = `npm run lab -- ${lab.id}`;

  // The settings as the lab's script will read them: the manifest's defaults, under what the shell sets.
  const labEnv = { ...lab.handRun.env, ...env };
  const settings = loadSettings({ env: { ...labEnv, WORKBOOK_MODE: 'mock' }, need: server ? ['server'] : [] });
  if (server) await requireFreePort(listenAddress(settings), command);
  const certificates = await ensureDevCertificates();
  const tenant = await tenantForHandRun({
    port: settings.fakeTenantPort,
    tenantId: settings.tenantId,
    certificates,
    ...(server?.callback ? { serverBaseUrl: settings.server.baseUrl } : {}),
    command,
  });
  stopChildrenOnExit(async () => tenant.started?.close());

  console.error(pc.dim(`lab ${lab.id}: ${description}\n  in ${displayPath(cwd)}: ${script} ${args.join(' ')}\n`));
  try {
    // register.ts sends the lab's Graph calls to the same tenant; the environment makes the lab trust
    // the local CA and use the tenant as its authority.
    const child = spawnTied(script, {
      imports: [pathToFileURL(REGISTER_MODULE).href],
      args,
      cwd,
      env: { ...labEnv, ...handRunEnv({ url: tenant.url, certificates }) },
    });
    return await child.exited;
  } finally {
    await tenant.started?.close();
  }
}
