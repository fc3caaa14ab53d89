// A hand run's child processes, tied to it: nothing a hand run starts outlives it. Each child (a Node
// script) runs in a process group of its own, with everything it starts in turn; a signal the hand run
// receives (Ctrl+C, `kill`) goes to the whole group once, and a group that has not stopped after a grace
// period is killed. A hand run killed with no time to do anything (`kill -9`) is covered by tie.ts, loaded
// first in every tied child. `npm run lab` and the lab 03 and 04 hand-run scripts both start children here.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { TIED_MARKER } from './tied-marker.ts';

type Stdio = 'inherit' | 'pipe' | 'ignore';

export interface TiedChildOptions {
  /** Modules to load before the script (`--import`), as file URLs: the fake tenant's register.ts, say. */
  imports?: string[];
  /** Arguments after the script. */
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdin, stdout, stderr (an IPC channel is added for tie.ts). Default: the terminal's. */
  stdio?: [Stdio, Stdio, Stdio];
  /** How long a stopped child may take to close before its group is killed (default STOP_GRACE_MS). */
  graceMs?: number;
}

export interface TiedChild {
  process: ChildProcess;
  /** Its exit code (128 + the signal's number when a signal ended it). */
  exited: Promise<number>;
  /** Sends `signal` to the child's group, then SIGKILL after its grace period; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** How long a stopped child may take to close before its group is killed. */
export const STOP_GRACE_MS = 5_000;

/** A process group exists on POSIX; Windows has none, and tie.ts alone does the work there. */
const OWN_GROUP = process.platform !== 'win32';
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
const exitCode = (signal: NodeJS.Signals) => 128 + (SIGNAL_NUMBERS[signal] ?? 0);

/** The tied children of this process that are still running. */
const running = new Set<TiedChild>();

/** Starts `script` with Node, under tsx, tied to this process. */
export function spawnTied(script: string, options: TiedChildOptions = {}): TiedChild {
  const imports = [import.meta.resolve('tsx'), new URL('./tie.ts', import.meta.url).href, ...(options.imports ?? [])];
  const child = spawn(process.execPath, [...imports.flatMap((module) => ['--import', module]), script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), [TIED_MARKER]: '1' },
    stdio: [...(options.stdio ?? ['inherit', 'inherit', 'inherit']), 'ipc'] as StdioOptions,
    detached: OWN_GROUP, // its own process group: Ctrl+C in the terminal reaches it once, through us
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? exitCode(signal as NodeJS.Signals)));
  });
  const tied: TiedChild = { process: child, exited, stop: (signal = 'SIGTERM') => stopGroup(child, exited, signal, options.graceMs ?? STOP_GRACE_MS) };
  running.add(tied);
  exited.then(
    () => running.delete(tied),
    () => running.delete(tied),
  );
  return tied;
}

async function stopGroup(child: ChildProcess, exited: Promise<number>, signal: NodeJS.Signals, graceMs: number): Promise<number> {
  if (child.exitCode === null && child.signalCode === null) signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
    signalGroup(child, 'SIGKILL'); // anything it started and left behind in its group goes too
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (OWN_GROUP && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Stops every tied child when this process is told to stop (SIGINT, SIGTERM, SIGHUP) or when the process
 * that started it has ended (npm killed: its shell ends, and nobody tells us), then runs `cleanUp` and
 * exits. The signal goes on to the children as it came: Ctrl+C stays a SIGINT.
 */
export function stopChildrenOnExit(cleanUp: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void Promise.all([...running].map((child) => child.stop(signal)))
      .then(cleanUp)
      .finally(() => process.exit(exitCode(signal)));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('SIGTERM'); // adopted by init (or a subreaper): our parent has ended
  }, 500).unref();
}
