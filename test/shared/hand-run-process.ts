// For the tests of `npm run lab -- NN`: scripts/lab.ts started for real against the reference solutions,
// in mock mode, with what it prints kept; and the loopback ports those tests pick and probe.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

export const LAB_SCRIPT = join(REPO_ROOT, 'scripts', 'lab.ts');

export interface HandRunProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** All it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the output once it matches `pattern`; rejects, with the output, if the run exits first. */
  reached(pattern: RegExp): Promise<string>;
}

/** `npm run lab -- <lab>` against the solutions; `env` sets its ports. The caller stops it. */
export function startHandRun(lab: string, env: Record<string, string>): HandRunProcess {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), LAB_SCRIPT, lab], {
    cwd: REPO_ROOT,
    env: { ...process.env, WORKBOOK_TARGET: 'solutions', WORKBOOK_MODE: 'mock', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    reached: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const look = () => pattern.test(output) && resolve(output);
        listeners.add(look);
        look();
        void exited.then((code) => reject(new Error(`the hand run exited (${code}) before ${pattern}:\n${output}`)));
      }),
  };
}

/** A loopback port nothing listens on (as far as anyone can know: it was free a moment ago). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Whether a connection to this loopback port is refused: nothing listens there. */
export const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
