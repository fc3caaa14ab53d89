// How the CLI gets results. A lab needs no run when results.json holds its result with the fingerprint
// it has now (nothing it is graded on changed since: fingerprint.ts), or when its folder is still its
// untouched starter (nothing of it is started: untouched.ts). Only the other labs run, together in one
// vitest run (its Node API, loaded only then), and their results are merged into results.json. Every
// run notes the labs that pass in the progress file.
import { labFingerprints, type FingerprintPlaces } from '../fingerprint.ts';
import type { Lab } from '../manifest.ts';
import { LABS_PROJECT } from '../projects.ts';
import WorkbookReporter from '../reporter.ts';
import { REPO_ROOT } from '../repo.ts';
import { labResult, mergeResults, readResults, RESULTS_FILE, writeResults, type LabResult, type WorkbookResults } from '../results.ts';
import { targetName, targetRoot } from '../target.ts';
import { untouchedLabs, untouchedResult } from '../untouched.ts';
import { announcement, estimateSeconds, LabProgress, type RunReason } from './check-progress.ts';
import { noteCompleted } from './progress.ts';

/** The workbook the CLI checks: this repository, or a copy of the fixture in the CLI's own tests. */
export interface Workbook {
  root: string;
  /** WORKBOOK_TARGET: `labs`, `solutions` or a folder inside the repository. */
  target: string;
  resultsFile: string;
  /** How the labs' check files end: `.test.ts` (the fixture's: `.check.ts`). */
  checkSuffix: string;
  /** Where the hashes of the untouched starters are kept (default: .workbook/cache/starters.json). */
  startersCache?: string;
}

export function thisWorkbook(resultsFile = RESULTS_FILE): Workbook {
  return { root: REPO_ROOT, target: targetName(), resultsFile, checkSuffix: '.test.ts' };
}

/** What the CLI knows without running a check, and the labs it must run for the rest. */
export interface CheckPlan {
  /** Each lab's result that needs no run, by slug: its last one, still fresh, or "not started". */
  known: Map<string, LabResult>;
  /** The labs that are still their untouched starters (their results in `known` are "not started"). */
  untouched: Lab[];
  /** The labs to run, in lab order: those that `changed` since their last run, and those still `unchecked`. */
  toRun: Lab[];
  changed: Lab[];
  unchecked: Lab[];
  /** results.json as the plan found it. */
  last: WorkbookResults | undefined;
}

export function planChecks(labs: Lab[], workbook = thisWorkbook()): CheckPlan {
  const last = readResults(workbook.resultsFile);
  const recorded = last?.target === workbook.target ? last.labs : [];
  const places: FingerprintPlaces = { root: workbook.root, target: targetRoot({ WORKBOOK_TARGET: workbook.target }) };
  const fingerprints = labFingerprints(labs, places);
  const known = new Map<string, LabResult>();
  for (const lab of labs) {
    const result = recorded.find((candidate) => candidate.slug === lab.slug);
    if (result?.fingerprint && result.fingerprint === fingerprints.get(lab.slug)) known.set(lab.slug, result);
  }
  const untouched = untouchedLabs(labs.filter((lab) => !known.has(lab.slug)), places, workbook.startersCache);
  for (const lab of untouched) known.set(lab.slug, untouchedResult(lab));
  const toRun = labs.filter((lab) => !known.has(lab.slug));
  const ranBefore = (lab: Lab) => recorded.some((result) => result.slug === lab.slug);
  return { known, untouched, toRun, changed: toRun.filter(ranBefore), unchecked: toRun.filter((lab) => !ranBefore(lab)), last };
}

/** Every lab's result, in lab order: from the latest of `runs` that ran it, otherwise from the plan. */
export function resultsOf(labs: Lab[], plan: CheckPlan, runs: (WorkbookResults | undefined)[] = [], target = targetName()): WorkbookResults {
  const ran = runs.flatMap((run) => run?.labs ?? []).reverse();
  const results = labs.flatMap((lab) => ran.find((result) => result.slug === lab.slug) ?? plan.known.get(lab.slug) ?? []);
  const finishedAt = runs.findLast((run) => run)?.finishedAt ?? plan.last?.finishedAt ?? new Date().toISOString();
  return { version: 1, target, finishedAt, labs: results, other: { passed: 0, failed: 0, skipped: 0 } };
}

/**
 * Runs the checks of `labs` (one vitest run), saying first which and why, then a line per lab as it
 * finishes, and merges their results into the results file. Resolves with this run's results.
 */
export async function runChecks(labs: Lab[], reason: RunReason, workbook = thisWorkbook()): Promise<WorkbookResults> {
  const last = readResults(workbook.resultsFile);
  console.log(announcement(labs, reason, estimateSeconds(labs, last)));
  const reporter = new WorkbookReporter({ root: workbook.root, target: workbook.target, print: false, outputFile: false });
  const progress = new LabProgress(workbook.root, workbook.target, undefined, () => reporter.typeCheck());
  // vitest loads only when checks must run: the home screen usually answers without it.
  const { runCheckProjects } = await import('../run-checks.ts');
  const include = labs.map((lab) => `test/${lab.slug}/**/*${workbook.checkSuffix}`);
  await runCheckProjects(workbook.root, [{ name: LABS_PROJECT, include, target: workbook.target }], { reporters: [reporter, progress] });
  console.log('');
  if (!reporter.results) throw new Error('The checks did not finish: run `npm test` to see why.');
  writeResults(mergeResults(last, reporter.results), workbook.resultsFile);
  noteCompleted(reporter.results.labs, reporter.results.target);
  return reporter.results;
}

/** Every lab's results, fresh or from a run of the labs that need one: watch and hint start from these. */
export function freshResults(labs: Lab[], file = RESULTS_FILE): WorkbookResults | undefined {
  const plan = planChecks(labs, thisWorkbook(file));
  return plan.toRun.length === 0 ? resultsOf(labs, plan) : undefined;
}

/** Runs one lab's checks (watch mode, on every save) and merges its result into results.json. */
export async function checkLab(lab: Lab, labs: Lab[], file = RESULTS_FILE): Promise<LabResult> {
  const workbook = thisWorkbook(file);
  const plan = planChecks(labs, workbook);
  const due = (among: Lab[]) => (among.includes(lab) ? [lab] : []);
  const reason: RunReason = plan.toRun.includes(lab) ? { changed: due(plan.changed), unchecked: due(plan.unchecked) } : 'asked';
  const run = await runChecks([lab], reason, workbook);
  // A lab whose check files all failed to load reports nothing: every check "did not run".
  return run.labs.find((candidate) => candidate.slug === lab.slug) ?? labResult(lab, new Map());
}

/**
 * Watch mode's run of one lab, merged into the results file with the lab's fingerprint as it was when
 * the run started (a file saved during the run then makes the result stale, never the reverse); the
 * other labs' results stay as recorded, each with its own fingerprint.
 */
export function recordLabResult(lab: Lab, results: WorkbookResults, fingerprint: string | undefined, file = RESULTS_FILE): LabResult {
  // A lab whose check files all failed to load reports nothing: every check "did not run".
  const ran = results.labs.find((candidate) => candidate.slug === lab.slug) ?? labResult(lab, new Map());
  const result = fingerprint ? { ...ran, fingerprint } : ran;
  writeResults(mergeResults(readResults(file), { ...results, labs: [result] }), file);
  return result;
}

/** A lab's fingerprint now, in this workbook's target (what recordLabResult records). */
export function fingerprintNow(lab: Lab, labs: Lab[], workbook = thisWorkbook()): string | undefined {
  return labFingerprints(labs, { root: workbook.root, target: targetRoot({ WORKBOOK_TARGET: workbook.target }) }).get(lab.slug);
}

/** The lab's result from what is known without a run, or from running its checks now. */
export async function currentResult(lab: Lab, labs: Lab[]): Promise<LabResult> {
  return planChecks(labs).known.get(lab.slug) ?? (await checkLab(lab, labs));
}
