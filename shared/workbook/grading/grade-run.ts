// One grading run: the repository's own checks of every lab against a staged submission, in a vitest
// process of its own (as `npm test` runs them), ended if it outlives its time.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { labFilters, LABS_PROJECT } from '../projects.ts';
import { REPO_ROOT, VITEST_CLI } from '../repo.ts';
import { readResults, type WorkbookResults } from '../results.ts';

export interface RunOptions {
  /** The folder laid out like labs/, inside the repository. */
  target: string;
  /** Where the reporter writes this run's results.json. */
  resultsFile: string;
  /** The labs to grade (`NN-slug`). */
  labs: readonly string[];
  timeoutMs: number;
  /** Vitest workers for this run: the cores shared among the runs that go at once. */
  maxWorkers: number;
  /** Ends the run early (Ctrl-C): its process group is not the terminal's, so it would not hear it. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  results?: WorkbookResults;
  seconds: number;
  /** Why there are no results: a timeout, or a run that crashed before its reporter wrote them. */
  problem?: string;
}

export async function runGrading(options: RunOptions): Promise<RunOutcome> {
  rmSync(options.resultsFile, { force: true }); // never read an earlier run's results as this one's
  const args = [
    VITEST_CLI, 'run',
    '--project', LABS_PROJECT, ...labFilters(options.labs),
    '--reporter=./shared/workbook/reporter.ts',
    `--maxWorkers=${options.maxWorkers}`,
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // Mock mode always: a grade never depends on the grader's own tenant or network.
    env: { ...process.env, WORKBOOK_MODE: 'mock', WORKBOOK_TARGET: options.target, WORKBOOK_RESULTS_FILE: options.resultsFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so a timeout ends vitest's workers and any server a check started too.
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-2000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    endRun(child);
  }, options.timeoutMs);
  const abort = () => endRun(child);
  options.signal?.addEventListener('abort', abort);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', abort);
  endRun(child); // a server a check left running would hold its port and the pipe

  const seconds = (performance.now() - started) / 1000;
  if (options.signal?.aborted) return { seconds, problem: 'interrupted' };
  if (timedOut) return { seconds, problem: `timed out after ${Math.round(options.timeoutMs / 1000)} s` };
  const results = readResults(options.resultsFile);
  if (!results) return { seconds, problem: `the check run ended (exit ${code}) without results: ${lastLine(stderr)}` };
  return { results, seconds };
}

/** Ends the run's process group (on Windows, which has none, the run alone); it may be gone already. */
function endRun(child: ChildProcess): void {
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // ESRCH: every process of the group has ended
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() || 'no output';
}
