// `npm run lab -- NN`: a hand run. Starts the fake tenant as a local HTTPS server (unless one is already
// listening, from `npm run tenant`), then runs the script the lab's manifest names (`handRun`) from the
// target's lab folder, pointed at that tenant for sign-in and for Graph. Each lab's guide says what its
// script starts and what to try.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import pc from 'picocolors';
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { describeStandalone, handRunEnv, startStandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { discoverLabs, findLab } from '../labs.ts';
import { displayPath } from '../repo.ts';
import { targetPath } from '../target.ts';

const TENANT_PORT = 8443;
export const TENANT_URL = `https://localhost:${TENANT_PORT}`;

export class HandRunError extends Error {
  override name = 'HandRunError';
}

/** Runs lab `name`'s hand run until it exits; resolves with its exit code. */
export async function handRun(name: string | undefined): Promise<number> {
  const lab = findLab(await discoverLabs(), name);
  if (!lab.handRun) throw new HandRunError(`Lab ${lab.id} has nothing to run by hand: its checks are the way to try it (npm test).`);
  const { script, args = [], env = {}, description } = lab.handRun;
  const cwd = targetPath(lab, '.');
  targetPath(lab, script); // a clear error now if the script is missing

  const standalone = (await isListening(TENANT_PORT)) ? undefined : await startStandaloneTenant({ port: TENANT_PORT });
  if (standalone) console.error(describeStandalone(standalone), '\n');
  const certificates = standalone?.certificates ?? (await ensureDevCertificates());
  console.error(pc.dim(`lab ${lab.id}: ${description}\n  in ${displayPath(cwd)}: ${script} ${args.join(' ')}\n`));
  try {
    // register.ts sends the lab's Graph calls to the same tenant; the environment makes the lab trust
    // the local CA and use the tenant as its authority.
    const child = spawn(process.execPath, [...registerArgs(), script, ...args], {
      cwd,
      stdio: 'inherit',
      env: { ...env, ...process.env, ...handRunEnv({ url: TENANT_URL, certificates }) },
    });
    process.once('SIGINT', () => child.kill('SIGINT'));
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await standalone?.close();
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
