// npm test: grades the labs (your work, or the folder WORKBOOK_TARGET names) and ends with the
// workbook's table of points per lab. Extra arguments go to vitest: `npm test -- --reporter=junit ...`.
// The shared code's own tests are not part of a grade: `npm run verify` runs them.
import { spawnSync } from 'node:child_process';
import { labFolders } from '#shared/workbook/labs.ts';
import { LABS_PROJECT } from '#shared/workbook/projects.ts';
import { REPO_ROOT, VITEST_CLI } from '#shared/workbook/repo.ts';

const labs = labFolders();
if (labs.length === 0) {
  console.log('There are no labs in this copy of the workbook yet, so there is nothing to grade.');
  console.log('`npm run verify` checks the workbook itself; `npm run tenant` starts the fake tenant.');
} else {
  const reporters = ['--reporter=default', '--reporter=./shared/workbook/reporter.ts'];
  const run = spawnSync(process.execPath, [VITEST_CLI, 'run', '--project', LABS_PROJECT, ...reporters, ...process.argv.slice(2)], { cwd: REPO_ROOT, stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}
