// `npm start -- solution NN [--force]`: your files of lab NN against the reference solution, as a
// unified diff (- yours, + the solution). Like rustlings, it stays locked until every check of the lab
// has passed (a check not checked here, with its reason, does not hold it: the machine could not run
// it, and the learner is told which); --force opens it anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pc from 'picocolors';
import type { Lab } from '../manifest.ts';
import { readProgress, type Progress } from './progress.ts';
import { displayPath, REPO_ROOT } from '../repo.ts';
import { labDone, labStanding, notCheckedHere, readResults, type LabResult } from '../results.ts';
import { listFiles, readerSource } from '../starters.ts';
import { formatNotChecked } from '../summary.ts';
import { targetRoot } from '../target.ts';

/** Why the solution is still locked, or undefined when it is open. */
export function solutionLock(lab: Pick<Lab, 'id'>, result: LabResult | undefined, progress: Progress, force: boolean): string | undefined {
  if (force || progress.completed[lab.id] || (result && labDone(result))) return undefined;
  const status = !result ? 'it has no results yet' : result.total === 0 ? 'none of its checks ran here' : `${result.passed}/${result.total} of its checks passed in the last run`;
  return [
    `The solution of lab ${lab.id} opens once every check of the lab that runs here passes (${status}).`,
    `  Keep going: npm start -- hint ${lab.id} for a hint, npm start -- watch ${lab.id} to re-check on every save.`,
    `  Or look now: npm start -- solution ${lab.id} --force`,
  ].join('\n');
}

/** Above the diff, when the lab passed every check that ran: which this machine did not check, and why. */
export function notCheckedNotice(lab: Pick<Lab, 'id'>, result: LabResult | undefined): string[] {
  if (!result || labStanding(result) !== 'passed-what-ran') return [];
  return [`Every check of lab ${lab.id} that ran passed. Not checked here, so not proven on this machine:`, ...formatNotChecked(notCheckedHere(result), '  '), ''];
}

export async function solution(lab: Lab, force: boolean): Promise<number> {
  const results = readResults();
  // Only results of the learner's own target count: a run against solutions/ opens nothing.
  const ownResults = results?.target === (process.env.WORKBOOK_TARGET?.trim() || 'labs') ? results : undefined;
  const result = ownResults?.labs.find((candidate) => candidate.slug === lab.slug);
  const locked = solutionLock(lab, result, readProgress(), force);
  if (locked) {
    console.log(locked);
    return 1;
  }
  const notice = notCheckedNotice(lab, result);
  if (notice.length > 0) console.log(notice.join('\n'));
  const solutionDir = join(REPO_ROOT, 'solutions', lab.slug);
  if (!existsSync(solutionDir)) {
    console.log(`This copy of the workbook has no reference solution of lab ${lab.id} (${displayPath(solutionDir)}/): a classroom edition leaves the answers out. Your instructor has them.`);
    return 1;
  }
  const yoursDir = join(targetRoot(), lab.slug);
  const files = listFiles(solutionDir).filter((file) => file !== 'README.md');
  console.log(pc.bold(`Lab ${lab.id}: ${displayPath(yoursDir)}/ (-) against the reference ${displayPath(solutionDir)}/ (+)\n`));
  let same = 0;
  for (const file of files) {
    const yours = join(yoursDir, file);
    if (!existsSync(yours)) {
      console.log(`${pc.yellow('missing')} ${displayPath(yours)} (the solution has ${displayPath(join(solutionDir, file))})`);
      continue;
    }
    const diff = gitDiff(displayPath(yours), displayPath(readerCopy(lab, join(solutionDir, file), file)));
    if (diff === undefined) return listInstead(files.map((name) => join(solutionDir, name)));
    if (diff === '') same++;
    else process.stdout.write(diff);
  }
  console.log(pc.dim(`\n${same} of ${files.length} file(s) are the same as the solution's.`));
  return 0;
}

/** The solution file without the starter generator's markers, in .workbook/solution-view/ (gitignored). */
function readerCopy(lab: Lab, path: string, file: string): string {
  const copy = join(REPO_ROOT, '.workbook', 'solution-view', lab.slug, file);
  if (existsSync(copy)) rmSync(copy);
  mkdirSync(dirname(copy), { recursive: true });
  writeFileSync(copy, readerSource(readFileSync(path, 'utf8')));
  return copy;
}

/** `git diff --no-index` of two files (relative to the repository), or undefined when git is missing. */
function gitDiff(from: string, to: string): string | undefined {
  const color = process.stdout.isTTY && pc.isColorSupported ? 'always' : 'never';
  const run = spawnSync('git', ['--no-pager', 'diff', '--no-index', `--color=${color}`, '--', from, to], { cwd: REPO_ROOT, encoding: 'utf8' });
  // Exit code 1 means "they differ"; anything else (or no git at all) means no diff to show.
  return run.error || (run.status !== 0 && run.status !== 1) ? undefined : run.stdout;
}

function listInstead(paths: string[]): number {
  console.log('git is not available to show the differences, so compare these files with yours:');
  for (const path of paths) console.log(`  ${displayPath(path)}`);
  return 0;
}
