// How fast the home screen answers, each `npm start` in a fresh process as a learner starts it:
//   (a) on a fresh copy of the workbook: its labs the starters, no results, no cache. It must answer
//       without running a check (every lab is its untouched starter);
//   (b) with nothing changed since the last run (here `npm test`): it answers from results.json.
// The copy is .workbook/bench/home/ (node_modules linked, not installed), so the learner's own labs,
// results and progress stay as they were. Each figure is the median of `runs`, after one not counted.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { discoverLabs } from '../labs.ts';
import { displayPath, REPO_ROOT } from '../repo.ts';
import { generateLab } from '../starters.ts';
import type { Timing } from './bench.ts';

const HOME_COPY = join(REPO_ROOT, '.workbook', 'bench', 'home');
/** Not part of a fresh clone: installed packages (linked instead), what runs leave, git's own. */
const NOT_CLONED = new Set(['node_modules', '.workbook', '.git']);

export async function benchHome(runs = 5): Promise<Timing[]> {
  await freshCopy();
  try {
    const fresh = timeMedian(runs, () => rmSync(join(HOME_COPY, '.workbook'), { recursive: true, force: true }));
    const ranChecks = existsSync(join(HOME_COPY, '.workbook', 'results', 'results.json'));
    const fromStarters: Timing = { name: `npm start, fresh clone${ranChecks ? ' (it ran checks!)' : ''}`, ...fresh };
    npm(['test']); // results.json for every lab, as a learner's last run leaves it
    const unchanged: Timing = { name: 'npm start, nothing changed', ...timeMedian(runs) };
    return [fromStarters, unchanged];
  } finally {
    rmSync(HOME_COPY, { recursive: true, force: true });
  }
}

/** The repository as a clone has it, its labs generated afresh from the solutions. */
async function freshCopy(): Promise<void> {
  rmSync(HOME_COPY, { recursive: true, force: true });
  for (const entry of readdirSync(REPO_ROOT).filter((name) => !NOT_CLONED.has(name))) {
    cpSync(join(REPO_ROOT, entry), join(HOME_COPY, entry), { recursive: true, filter: (path) => !NOT_CLONED.has(basename(path)) });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(HOME_COPY, 'node_modules'), 'junction');
  for (const lab of await discoverLabs()) generateLab(HOME_COPY, lab, join(HOME_COPY, 'labs'));
}

/** The median wall time of `npm start` in the copy; `before` runs ahead of each start, untimed. */
function timeMedian(runs: number, before = (): void => {}): Omit<Timing, 'name'> {
  const timings: { seconds: number; status: number | null }[] = [];
  for (let run = 0; run <= runs; run++) {
    before();
    const started = performance.now();
    const status = npm(['start']);
    if (run > 0) timings.push({ seconds: (performance.now() - started) / 1000, status }); // run 0 warms the disk cache
  }
  timings.sort((a, b) => a.seconds - b.seconds);
  const median = timings[Math.floor(timings.length / 2)]!;
  return { command: `npm start (in ${displayPath(HOME_COPY)}/)`, ...median };
}

/** `npm <args>` in the copy, for the learner's defaults: no target or results file of the bench's own. */
function npm(args: string[]): number | null {
  const { WORKBOOK_TARGET: _target, WORKBOOK_RESULTS_FILE: _results, ...env } = process.env;
  // Under `npm run bench`, npm_execpath names npm's own script: run it with this Node, on any platform.
  const npmCli = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : undefined;
  const [command, commandArgs] = npmCli ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  return spawnSync(command, commandArgs, { cwd: HOME_COPY, stdio: 'ignore', env, shell: !npmCli && process.platform === 'win32' }).status;
}
