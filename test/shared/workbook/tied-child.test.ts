// Nothing a hand run starts outlives it (tied-child.ts, tie.ts): real processes, three deep (a hand run,
// the lab's script, the server the script starts), ended every way a person ends `npm run lab`: Ctrl+C
// (SIGINT), `kill` (SIGTERM), `kill -9`, and npm killed above it. Each test ends only the processes it
// started, by pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const PARENT = fileURLToPath(new URL('./fixtures/tied/parent.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Chain {
  parent: number;
  child: number;
  grandchild: number;
}

const started = new Set<number>();
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL'); // a failed test's leftovers
});

/** Whether `pid` is a running process (a zombie waiting for its parent to read its status is not). */
function alive(pid: number): boolean {
  if (process.platform === 'win32') {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps found no such process
  }
}

async function gone(pids: number[], withinMs = 10_000): Promise<number[]> {
  const end = Date.now() + withinMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = left.filter(alive);
  }
  return left;
}

/** Starts `command` and reads the chain's pids from the first line it prints. */
async function startChain(command: string, args: string[]): Promise<{ process: ChildProcess; chain: Chain }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.add(child.pid!);
  const chain = await new Promise<Chain>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (text) => resolve(JSON.parse(text) as Chain));
    child.once('exit', (code) => reject(new Error(`the chain ended (${code}) before it started`)));
  });
  for (const pid of Object.values(chain)) started.add(pid);
  return { process: child, chain };
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe.concurrent('a hand run ended by', () => {
  test('Ctrl+C (SIGINT): its children stop, even one that ignores SIGINT (killed after the grace period)', async () => {
    const { process: parent, chain } = await startChain(process.execPath, ['--import', TSX, PARENT, 'careless']);
    process.kill(chain.parent, 'SIGINT');
    expect(await exitOf(parent), 'the hand run ends as a SIGINT ends a process (128 + 2)').toBe(130);
    expect(await gone([chain.child, chain.grandchild]), 'nothing it started is left').toEqual([]);
  });

  test('kill (SIGTERM): its children stop', async () => {
    const { process: parent, chain } = await startChain(process.execPath, ['--import', TSX, PARENT]);
    process.kill(chain.parent, 'SIGTERM');
    expect(await exitOf(parent)).toBe(143);
    expect(await gone([chain.child, chain.grandchild])).toEqual([]);
  });

  test('kill -9 (no time to do anything): its children notice it is gone (tie.ts) and stop', async () => {
    const { chain } = await startChain(process.execPath, ['--import', TSX, PARENT]);
    process.kill(chain.parent, 'SIGKILL');
    expect(await gone([chain.child, chain.grandchild])).toEqual([]);
  });

  test('npm killed above it (its shell ends, nobody tells the hand run): it notices and stops everything', async (context) => {
    if (process.platform === 'win32') return context.skip('no sh on Windows');
    // `; :` keeps sh waiting as the hand run's parent, as npm's shell is.
    const { process: shell, chain } = await startChain('sh', ['-c', `"${process.execPath}" --import "${TSX}" "${PARENT}"; :`]);
    process.kill(shell.pid!, 'SIGKILL');
    expect(await gone([chain.parent, chain.child, chain.grandchild])).toEqual([]);
  });
});
