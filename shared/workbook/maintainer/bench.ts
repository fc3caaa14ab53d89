// `npm run bench`: how long the workbook takes a learner, an instructor and a maintainer, each figure
// against vitest's floor (one empty test) measured in the same run, and against its target (issue
// "Instant feedback"). Not part of the tests: run it after changing the fake tenant, the checks or the CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import pc from 'picocolors';
import { discoverLabs } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { labFilters, LABS_PROJECT } from '../projects.ts';
import { displayPath, REPO_ROOT, VITEST_CLI } from '../repo.ts';
import { readResults } from '../results.ts';
import { generateLab } from '../starters.ts';
import { benchHome } from './bench-home.ts';
import { benchWatch } from './bench-watch.ts';

export interface Timing {
  name: string;
  command: string;
  seconds: number;
  /**
   * CPU seconds of the command and every process it waited for (vitest's workers, the browser, tsc), where
   * the system says (Linux); with the cores, the least wall time any schedule of that work could take.
   */
  cpuSeconds?: number;
  /** The run's exit code: a timing of a failing run measures something else. */
  status: number | null;
}

/** What a row must reach: a ratio to the floor, to another row, or a number of seconds. */
export type Target = { floorTimes: number } | { seconds: number } | { rowTimes: number; row: string };

export interface BenchRow extends Timing {
  target?: Target;
}

export const BENCH_DIR = join(REPO_ROOT, '.workbook', 'bench');
const BENCH_RESULTS = join(BENCH_DIR, 'results.json');

/** Wall time of one `node <args>` (a fresh process each, as a learner runs it). */
export function timeCommand(name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT, shown = `node ${args.join(' ')}`): Timing {
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const { status } = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const where = cwd === REPO_ROOT ? '' : ` (in ${displayPath(cwd)}/)`;
  return { name, command: shown + where, seconds, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: cpuAfter - cpuBefore } : {}), status };
}

/** The run of median wall time among `runs` (its CPU with it): one slow or one lucky run does not move a ratio. */
function medianOf(runs: number, time: () => Timing): Timing {
  const timings = Array.from({ length: runs }, time).sort((a, b) => a.seconds - b.seconds);
  const median = timings[Math.floor(timings.length / 2)]!;
  return { ...median, name: `${median.name} (median of ${runs})` };
}

/** Runs of the floors, npm test and each lab: the ratios divide one by another. */
const RUNS = 3;

/**
 * User and system CPU of this process's children that have ended and been waited for, with theirs in
 * turn (Linux's /proc/self/stat, in clock ticks of 1/100 s); undefined where there is no /proc.
 */
function childrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime and cstime: fields 16 and 17 of stat(5)
}

function timeVitest(name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT): Timing {
  return timeCommand(name, [VITEST_CLI, 'run', ...args], env, cwd, `vitest run ${args.join(' ')}`.trim());
}

const script = (file: string, args: string[] = []) => ['--import', 'tsx', file, ...args];

/** vitest's floor: one empty test in a folder of its own. */
function floor(): Timing {
  const dir = join(BENCH_DIR, 'floor');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vitest.config.ts'), 'export default {};\n');
  writeFileSync(join(dir, 'empty.test.ts'), "import { test } from 'vitest';\n\ntest('nothing', () => {});\n");
  return timeVitest('floor: one empty test', [], {}, dir);
}

/**
 * The libraries every lab check's worker loads before its first check can run, imported by one empty
 * test in a worker process as the checks' own (the same config, one worker): what any check run pays
 * above the floor, once per worker, however fast its checks are.
 */
const CHECK_LIBRARIES = [
  '@azure/msal-node',
  '@microsoft/microsoft-graph-client',
  '@modelcontextprotocol/sdk/server/mcp.js',
  '@modelcontextprotocol/sdk/server/streamableHttp.js',
  '@modelcontextprotocol/sdk/server/auth/router.js',
  '@modelcontextprotocol/sdk/client/index.js',
  '@modelcontextprotocol/sdk/client/streamableHttp.js',
  'express',
  'jose',
  'msw/node',
  'pino',
];

function libraryFloor(): Timing {
  const dir = join(BENCH_DIR, 'library-floor');
  mkdirSync(dir, { recursive: true });
  const projects = relative(dir, join(REPO_ROOT, 'shared', 'workbook', 'projects.ts')).split(sep).join('/');
  writeFileSync(join(dir, 'vitest.config.ts'), `import { LAB_CHECKS } from '${projects}';\n\nexport default { test: { ...LAB_CHECKS, maxWorkers: 1 } };\n`);
  writeFileSync(join(dir, 'libraries.test.ts'), `import { test } from 'vitest';\n${CHECK_LIBRARIES.map((library) => `import '${library}';`).join('\n')}\n\ntest('the libraries loaded', () => {});\n`);
  return timeVitest("floor + a check worker's libraries", [], {}, dir);
}

/** The untouched starters of every lab, as a fresh clone has them in labs/ (inside the repository). */
function freshClone(labs: Lab[]): string {
  const dir = join(BENCH_DIR, 'fresh-clone');
  rmSync(dir, { recursive: true, force: true });
  for (const lab of labs) generateLab(REPO_ROOT, lab, dir);
  return dir;
}

/** `count` submissions, each a copy of the reference solutions laid out `<name>/labs/NN-slug/`. */
function submissions(labs: Lab[], count: number): string {
  const dir = join(BENCH_DIR, `submissions-${count}`);
  rmSync(dir, { recursive: true, force: true });
  for (let index = 1; index <= count; index += 1) {
    for (const lab of labs) cpSync(join(REPO_ROOT, 'solutions', lab.slug), join(dir, `learner-${index}`, 'labs', lab.slug), { recursive: true });
  }
  return dir;
}

export interface BenchOptions {
  /** Submissions the batch grader grades at once (default 30). */
  submissions?: number;
}

export async function bench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const labs = await discoverLabs();
  const count = options.submissions ?? 30;
  // Solutions, so every check runs to its end; results aside, so the learner's own stay as they were.
  const solutions = { WORKBOOK_TARGET: 'solutions', WORKBOOK_RESULTS_FILE: BENCH_RESULTS };
  const reporter = '--reporter=./shared/workbook/reporter.ts';
  const rows: BenchRow[] = [medianOf(RUNS, floor), medianOf(RUNS, libraryFloor)];
  rows.push({ ...medianOf(RUNS, () => timeCommand('npm test on the solutions', script('scripts/test.ts'), solutions)), target: { floorTimes: 10 } });
  for (const lab of labs) {
    rows.push({ ...medianOf(RUNS, () => timeVitest(`one lab: ${lab.slug}`, ['--project', LABS_PROJECT, ...labFilters([lab.slug]), reporter], solutions)), target: { floorTimes: 3 } });
  }
  const fresh = { WORKBOOK_TARGET: freshClone(labs), WORKBOOK_RESULTS_FILE: join(BENCH_DIR, 'fresh-results.json') };
  rows.push({ ...timeCommand('npm test on a fresh clone', script('scripts/test.ts'), fresh), target: { rowTimes: 1, row: `npm test on the solutions (median of ${RUNS})` } });
  const [freshStart, unchangedStart] = await benchHome();
  rows.push({ ...freshStart!, target: { seconds: 3 } }, { ...unchangedStart!, target: { seconds: 1 } });
  // Watch mode on the lab with the most check files; its median against the target, fastest and slowest beside it.
  const [median, ...spread] = await benchWatch({ lab: '03' });
  rows.push({ ...median!, target: { seconds: 1.5 } }, ...spread);
  rows.push({ ...timeCommand('npm run verify', script('scripts/verify.ts')), target: { seconds: 25 } });
  const one = timeCommand('grade 1 submission', script('scripts/grade.ts', [submissions(labs, 1), '--out', join(BENCH_DIR, 'gradebook-1.csv')]));
  rows.push(one);
  const many = `grade ${count} submissions`;
  rows.push({ ...timeCommand(many, script('scripts/grade.ts', [submissions(labs, count), '--out', join(BENCH_DIR, `gradebook-${count}.csv`)])), target: { rowTimes: 15, row: one.name } });
  rows.push(timeVitest('the shared code\'s own tests', ['--project', 'shared']));
  return rows;
}

export function formatBench(rows: BenchRow[]): string[] {
  const floorSeconds = rows[0]!.seconds;
  const width = Math.max(40, ...rows.map((row) => row.name.length));
  const lines = rows.map((row) => {
    const verdict = row.target ? meets(row, rows) : undefined;
    const mark = verdict === undefined ? ' ' : verdict.ok ? pc.green('✓') : pc.red('✗');
    const ratio = `x${(row.seconds / floorSeconds).toFixed(1)}`.padStart(6);
    const cpu = row.cpuSeconds === undefined ? '' : `${row.cpuSeconds.toFixed(1)} s`;
    const failed = row.status === 0 ? '' : pc.red(` (exit ${row.status})`);
    return `  ${mark} ${row.name.padEnd(width)} ${`${row.seconds.toFixed(2)} s`.padStart(8)}  ${ratio}  ${cpu.padStart(8)}  ${pc.dim((verdict?.wanted ?? '').padEnd(26))} ${pc.dim(row.command)}${failed}`;
  });
  const cores = availableParallelism();
  return [
    pc.bold(`Wall time, a fresh process each; ratio to the floor; CPU time (the work: on ${cores} cores no run can take less than CPU / ${cores}); target`),
    ...lines,
    `    ${'fake tenant requests per check'.padEnd(width)} ${requestsPerCheck()}`,
  ];
}

function meets(row: BenchRow, rows: BenchRow[]): { ok: boolean; wanted: string } {
  const target = row.target!;
  const floorSeconds = rows[0]!.seconds;
  if ('floorTimes' in target) return { ok: row.seconds <= target.floorTimes * floorSeconds, wanted: `≤ x${target.floorTimes} the floor` };
  if ('seconds' in target) return { ok: row.seconds <= target.seconds, wanted: `≤ ${target.seconds} s` };
  const other = rows.find((candidate) => candidate.name === target.row);
  const limit = (other?.seconds ?? Number.NaN) * target.rowTimes;
  return { ok: row.seconds <= limit, wanted: `≤ ${target.rowTimes === 1 ? '' : `${target.rowTimes}× `}${target.row} (${limit.toFixed(1)} s)` };
}

/** Mean and most requests the fake tenant served per check, from the bench's own `npm test` run. */
function requestsPerCheck(): string {
  const counts = (readResults(BENCH_RESULTS)?.labs ?? []).flatMap((lab) => lab.checks.flatMap((check) => check.fakeTenantRequests ?? []));
  if (counts.length === 0) return 'n/a (no lab check used the fake tenant)';
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  return `${mean.toFixed(1)} mean, ${Math.max(...counts)} most (${counts.length} checks)`;
}
