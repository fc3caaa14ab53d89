// `npm run bench`: how long checking takes, against the floor of a vitest run of one empty test.
// Not part of the tests: run it after changing the fake tenant or adding checks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { labFolders } from './labs.ts';
import { displayPath, REPO_ROOT, VITEST_CLI } from './repo.ts';
import { readResults } from './results.ts';

export interface Timing {
  name: string;
  command: string;
  seconds: number;
  /** The run's exit code: a timing of a failing run measures something else. */
  status: number | null;
}

/** Wall time of one vitest run (a fresh process each, as a learner runs it). */
function timeVitest(name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT): Timing {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, [VITEST_CLI, 'run', ...args], { cwd, stdio: 'ignore', env: { ...process.env, ...env } });
  const where = cwd === REPO_ROOT ? '' : ` (in ${displayPath(cwd)}/)`;
  return { name, command: `vitest run ${args.join(' ')}`.trim() + where, seconds: (performance.now() - started) / 1000, status };
}

export function bench(): Timing[] {
  const benchDir = join(REPO_ROOT, '.workbook', 'bench');
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(join(benchDir, 'vitest.config.ts'), 'export default {};\n');
  writeFileSync(join(benchDir, 'empty.test.ts'), "import { test } from 'vitest';\n\ntest('nothing', () => {});\n");
  const [firstLab] = labFolders();
  return [
    timeVitest('floor: one empty test', [], {}, benchDir),
    timeVitest('all checks on the solutions', [], { WORKBOOK_TARGET: 'solutions' }),
    firstLab
      ? timeVitest(`one lab: ${firstLab}`, ['--project', firstLab], { WORKBOOK_TARGET: 'solutions' })
      : timeVitest('one project: shared (no labs yet)', ['--project', 'shared']),
  ];
}

export function formatBench(timings: Timing[]): string[] {
  const floor = timings[0]!.seconds;
  const lines = timings.map(
    (timing) => `  ${timing.name.padEnd(36)} ${`${timing.seconds.toFixed(2)} s`.padStart(8)}  ${pc.dim(`x${(timing.seconds / floor).toFixed(1)}`)}  ${pc.dim(timing.command)}${timing.status === 0 ? '' : pc.red(` (exit ${timing.status})`)}`,
  );
  // The fake tenant's request log is per check; results.json does not carry it yet.
  const results = readResults();
  const requests = results && results.labs.length > 0 ? 'not recorded in results.json' : 'n/a (no labs yet)';
  return [pc.bold('Wall time (fresh process each)'), ...lines, `  ${'fake tenant requests per check run'.padEnd(36)} ${requests}`];
}
