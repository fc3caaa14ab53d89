// How the CLI gets results: the last run's, while nothing it graded has changed since, otherwise a new
// run through vitest's Node API (run-checks.ts) with a dot per check. Every run notes the labs that
// pass in the progress file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import type { Reporter } from 'vitest/node';
import { labsBuildingOn } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { noteCompleted } from './progress.ts';
import WorkbookReporter from '../reporter.ts';
import { isInside, REPO_ROOT } from '../repo.ts';
import { labResult, readResults, RESULTS_FILE, writeResults, type LabResult, type WorkbookResults } from '../results.ts';
import { LABS_PROJECT } from '../projects.ts';
import { runCheckProjects } from '../run-checks.ts';
import { targetRoot } from '../target.ts';

/**
 * The last run's results, if they cover every lab of this target and are newer than every file they
 * graded. With `except`, files of that lab (its target folder and its checks) do not count.
 */
export function freshResults(labs: Lab[], file = RESULTS_FILE, except?: Lab): WorkbookResults | undefined {
  const results = readResults(file);
  const target = process.env.WORKBOOK_TARGET?.trim() || 'labs';
  if (!results || results.target !== target) return undefined;
  if (!labs.every((lab) => results.labs.some((result) => result.slug === lab.slug))) return undefined;
  const written = statSync(file).mtimeMs;
  const sources = [targetRoot(), join(REPO_ROOT, 'test'), join(REPO_ROOT, 'shared')];
  const skipped = except ? [join(targetRoot(), except.slug), join(REPO_ROOT, 'test', except.slug)] : [];
  return sources.every((dir) => newestChange(dir, skipped) < written) ? results : undefined;
}

function newestChange(dir: string, skipped: string[]): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !skipped.some((folder) => isInside(folder, entry.parentPath)))
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** Runs every lab's checks and writes results.json, as `npm test` does. */
export async function runChecks(labs: Lab[]): Promise<WorkbookResults> {
  return run(labs, RESULTS_FILE);
}

/**
 * Runs one lab's checks. The lab's new result replaces its old one in results.json when the rest of
 * that file is still fresh; otherwise the file is left alone, so stale results never look fresh.
 * A lab that others build on (lab 03 under lab 04) changes their results too: the file is left alone.
 */
export async function checkLab(lab: Lab, labs: Lab[], file = RESULTS_FILE): Promise<LabResult> {
  const others = resultsBesides(lab, labs, file);
  const results = await run([lab], false);
  return recordLabResult(lab, results, others, file);
}

/** What a run of one lab may update in results.json: the rest of it, while still fresh (see checkLab). */
export function resultsBesides(lab: Lab, labs: Lab[], file = RESULTS_FILE): WorkbookResults | undefined {
  return labsBuildingOn(lab, labs).length === 0 ? freshResults(labs, file, lab) : undefined;
}

/** The lab's result from a run of it, written into `others` (resultsBesides: the rest of results.json) when set. */
export function recordLabResult(lab: Lab, results: WorkbookResults, others: WorkbookResults | undefined, file = RESULTS_FILE): LabResult {
  // A lab whose check files all failed to load reports nothing: every check "did not run".
  const result = results.labs.find((candidate) => candidate.slug === lab.slug) ?? labResult(lab, new Map());
  if (others) {
    const labsNow = others.labs.map((candidate) => (candidate.slug === lab.slug ? result : candidate));
    writeResults({ ...others, finishedAt: results.finishedAt, labs: labsNow }, file);
  }
  return result;
}

/** The lab's result from fresh results, or from running its checks now. */
export async function currentResult(lab: Lab, labs: Lab[]): Promise<LabResult> {
  return freshResults(labs)?.labs.find((candidate) => candidate.slug === lab.slug) ?? (await checkLab(lab, labs));
}

async function run(labs: Lab[], outputFile: string | false): Promise<WorkbookResults> {
  process.stdout.write(pc.dim(labs.length === 1 ? `Checking lab ${labs[0]!.id} ` : `Checking ${labs.length} labs `));
  const progress: Reporter = {
    onTestCaseResult(test) {
      const state = test.result().state;
      process.stdout.write(state === 'passed' ? pc.green('·') : state === 'failed' ? pc.red('·') : pc.dim('·'));
    },
  };
  const workbook = new WorkbookReporter({ print: false, outputFile });
  await runCheckProjects(REPO_ROOT, [{ name: LABS_PROJECT, include: labs.map((lab) => `test/${lab.slug}/**/*.test.ts`) }], { reporters: [progress, workbook] });
  process.stdout.write('\n\n');
  if (!workbook.results) throw new Error('The checks did not finish: run `npm test` to see why.');
  noteCompleted(workbook.results.labs, workbook.results.target);
  return workbook.results;
}
