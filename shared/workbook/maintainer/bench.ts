// `npm run bench`: how long checking takes, against the floor of a vitest run of one empty test.
// Not part of the tests: run it after changing the fake tenant or adding checks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { labFolders } from '../labs.ts';
import { labFilters, LABS_PROJECT } from '../projects.ts';
import { displayPath, REPO_ROOT, VITEST_CLI } from '../repo.ts';
import { readResults } from '../results.ts';

export interface Timing {
  name: string;
  command: string;
  seconds: number;
  /** The run's exit code: a timing of a failing run measures something else. */
  status: number | null;
}

/** Wall time of one `node <args>` (a fresh process each, as a learner runs it). */
function timeCommand(name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT, shown = `node ${args.join(' ')}`): Timing {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, ...env } });
  const where = cwd === REPO_ROOT ? '' : ` (in ${displayPath(cwd)}/)`;
  return { name, command: shown + where, seconds: (performance.now() - started) / 1000, status };
}

function timeVitest(name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT): Timing {
  return timeCommand(name, [VITEST_CLI, 'run', ...args], env, cwd, `vitest run ${args.join(' ')}`.trim());
}

const BENCH_RESULTS = join(REPO_ROOT, '.workbook', 'bench', 'results.json');

export function bench(): Timing[] {
  const benchDir = join(REPO_ROOT, '.workbook', 'bench');
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(join(benchDir, 'vitest.config.ts'), 'export default {};\n');
  writeFileSync(join(benchDir, 'empty.test.ts'), "import { test } from 'vitest';\n\ntest('nothing', () => {});\n");
  // Solutions, so every check runs to its end; results aside, so the learner's own stay as they were.
  const solutions = { WORKBOOK_TARGET: 'solutions', WORKBOOK_RESULTS_FILE: BENCH_RESULTS };
  const reporter = '--reporter=./shared/workbook/reporter.ts';
  const [firstLab] = labFolders();
  return [
    timeVitest('floor: one empty test', [], {}, benchDir),
    timeCommand('npm test on the solutions', ['--import', 'tsx', 'scripts/test.ts'], solutions),
    ...(firstLab ? [timeVitest(`one lab: ${firstLab}`, ['--project', LABS_PROJECT, ...labFilters([firstLab]), reporter], solutions)] : []),
    timeVitest('the shared code\'s own tests', ['--project', 'shared']),
  ];
}

export function formatBench(timings: Timing[]): string[] {
  const floor = timings[0]!.seconds;
  const lines = timings.map(
    (timing) => `  ${timing.name.padEnd(36)} ${`${timing.seconds.toFixed(2)} s`.padStart(8)}  ${pc.dim(`x${(timing.seconds / floor).toFixed(1)}`)}  ${pc.dim(timing.command)}${timing.status === 0 ? '' : pc.red(` (exit ${timing.status})`)}`,
  );
  return [pc.bold('Wall time (fresh process each)'), ...lines, `  ${'fake tenant requests per check'.padEnd(36)} ${requestsPerCheck()}`];
}

/** Mean and most requests the fake tenant served per check, from the bench's own `npm test` run. */
function requestsPerCheck(): string {
  const counts = (readResults(BENCH_RESULTS)?.labs ?? []).flatMap((lab) => lab.checks.flatMap((check) => check.fakeTenantRequests ?? []));
  if (counts.length === 0) return 'n/a (no lab check used the fake tenant)';
  const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
  return `${mean.toFixed(1)} mean, ${Math.max(...counts)} most (${counts.length} checks)`;
}
