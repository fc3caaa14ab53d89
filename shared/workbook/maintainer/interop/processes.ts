// The processes interop starts (lab servers, the Inspector), each the leader of a process group of its
// own, so stopping one also stops what it started (the Inspector's stdio server, the browser it opened)
// and nothing else. Their output is kept in memory, never printed as it is: it can hold a sign-in URL's
// `state` (the Inspector prints "Please navigate to: ..."), so what is shown goes through redact().
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  pid: number;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  stdout(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in its output; rejects when it exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM to its process group, SIGKILL after 3 s: it and its children. */
  stop(): Promise<void>;
}

const running = new Set<Started>();
/** Set by stopAll(): nothing new starts while the run stops. */
let stopping = false;
const GROUPS = process.platform !== 'win32'; // Windows has no process groups to signal

export interface StartOptions {
  cwd?: string;
  env: Record<string, string>;
  /** It stops something (mcpdo's `daemon stop`): it may start while the run stops. */
  cleanup?: boolean;
}

export function start(command: string, args: string[], options: StartOptions): Started {
  if (stopping && !options.cleanup) throw new Error('the run is stopping');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: GROUPS });
  let all = '';
  let out = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer, stream: 'out' | 'err') => {
    all += chunk.toString();
    if (stream === 'out') out += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', (chunk: Buffer) => append(chunk, 'out'));
  child.stderr!.on('data', (chunk: Buffer) => append(chunk, 'err'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
  const started: Started = {
    pid: child.pid ?? -1,
    output: () => all,
    stdout: () => out,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(all);
          if (match) finish(() => resolve(match));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`nothing matched ${pattern} within ${timeoutMs / 1000} s`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        void exited.then((code) => finish(() => reject(new Error(`it exited (${code}) before anything matched ${pattern}`))));
        check();
      }),
    stop: () => stop(child, exited),
  };
  running.add(started);
  void exited.then(() => running.delete(started));
  return started;
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    signal(pid, 'SIGTERM');
    const timer = setTimeout(() => signal(pid, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  // What the leader left behind in its group (a stdio server, the browser it opened), if anything.
  for (let waited = 0; GROUPS && groupAlive(pid) && waited < 3000; waited += 100) {
    if (waited === 0) signal(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (GROUPS && groupAlive(pid)) signal(pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(GROUPS ? -pid : pid, name);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops for what runs outside our process groups (mcpdo's detached daemon), until they are done. */
const elsewhere = new Set<() => Promise<void>>();

/**
 * Runs `work`, then `stop`. Should the run be stopped meanwhile (Ctrl+C), stopAll() waits for `stop`
 * too: it runs once, whoever asks first.
 */
export async function stoppingWith<T>(stop: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  let stopped: Promise<void> | undefined;
  const once = () => (stopped ??= stop());
  elsewhere.add(once);
  try {
    return await work();
  } finally {
    await once();
    elsewhere.delete(once);
  }
}

/** Stops every process this module started that still runs, and what stoppingWith() was given. */
export async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all([...running].map((started) => started.stop()));
  await Promise.all([...elsewhere].map((stop) => stop()));
}

/** Output fit to show: URLs lose their query (state, codes), bearer tokens and JWTs their value. */
export function redact(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…')
    .replace(/(Bearer\s+)[\w.~+/-]+=*/gi, '$1…')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '<jwt>');
}
