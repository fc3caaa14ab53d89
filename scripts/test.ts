// npm test: grades the labs (your work, or the folder WORKBOOK_TARGET names) and ends with the
// workbook's table of points per lab. Extra arguments go to vitest: `npm test -- --reporter=junit ...`.
// The shared code's own tests are not part of a grade: `npm run verify` runs them.
// The labs the arguments select (every lab, or those a filter such as `04` or `test/04-best-practices`
// names) are type-checked here while vitest starts, when a core is still free (type-check.ts); the
// reporter then finds their results kept.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { discoverLabs, labFolders } from '#shared/workbook/labs.ts';
import { LABS_PROJECT } from '#shared/workbook/projects.ts';
import { REPO_ROOT, VITEST_CLI } from '#shared/workbook/repo.ts';
import { targetRoot } from '#shared/workbook/target.ts';
import { startTypeCheck, TYPES_AHEAD } from '#shared/workbook/type-check.ts';

if (labFolders().length === 0) {
  console.log('There are no labs in this copy of the workbook yet, so there is nothing to grade.');
  console.log('`npm run verify` checks the workbook itself; `npm run tenant` starts the fake tenant.');
} else {
  const args = process.argv.slice(2);
  const filters = args.filter((arg) => !arg.startsWith('-'));
  const selected = (slug: string) => filters.length === 0 || filters.some((filter) => `test/${slug}/`.includes(filter) || filter.startsWith(`test/${slug}/`));
  let ahead: Promise<unknown> = Promise.resolve();
  let aheadSlugs: string[] = [];
  try {
    const labs = (await discoverLabs()).filter((lab) => selected(lab.slug));
    ahead = startTypeCheck(REPO_ROOT, labs.map((lab) => ({ lab, folder: join(targetRoot(), lab.slug) })));
    aheadSlugs = labs.map((lab) => lab.slug);
  } catch {
    // a broken manifest or target: vitest says why, and the reporter type-checks what runs itself
  }
  const reporters = ['--reporter=default', '--reporter=./shared/workbook/reporter.ts'];
  const run = spawn(process.execPath, [VITEST_CLI, 'run', '--project', LABS_PROJECT, ...reporters, ...args], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, [TYPES_AHEAD]: aheadSlugs.join(',') },
  });
  const [code] = await Promise.all([new Promise<number | null>((resolve) => run.on('close', resolve)), ahead]);
  process.exitCode = code ?? 1;
}
