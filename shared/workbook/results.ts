// The outcome of a check run, per lab and per check: what the table shows and results.json holds
// (.workbook/results/results.json, read by `npm start` and by graders' scripts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';

/**
 * `not-started`: the check reached a `throw todo(...)`. `not-run`: no test reported this check.
 * `skipped`: the check was *not checked here*: this machine cannot run it (no browser, live mode, nobody
 * at the keyboard), and its message says why. It is neither passed nor failed, so its points are neither
 * earned nor lost: a lab's `possible` and `total` count the checks that were checked, and every surface
 * (the table, watch, hint, solution, the grader, Classroom) names the checks not checked here with
 * their reason instead of calling them passed or silently scoring them 0.
 */
export type CheckStatus = 'passed' | 'failed' | 'not-started' | 'skipped' | 'not-run';

export interface CheckResult {
  id: string;
  step: string;
  title: string;
  points: number;
  gradable: boolean;
  status: CheckStatus;
  /** The failure (or skip reason), with repository paths made relative. */
  message?: string;
  hint: string[];
  /** The test file, relative to the repository. */
  file?: string;
  /** Requests the fake tenant served during the check, when it used one. */
  fakeTenantRequests?: number;
  /** It passed at run time, but TypeScript refuses its step's code (type-check.ts): failed, with the type error as its message. */
  typeError?: true;
}

export interface LabResult {
  id: string;
  slug: string;
  title: string;
  /** Points of the gradable checks that passed. */
  earned: number;
  /** Points of the gradable checks that were checked: those not checked here are left out. */
  possible: number;
  passed: number;
  /** Checks that were checked (every check but those not checked here). */
  total: number;
  checks: CheckResult[];
  /** What the run graded, as one hash (fingerprint.ts): the result holds while it still matches. */
  fingerprint?: string;
  /** How long the lab's check files took, added up (workers run several at once). */
  seconds?: number;
}

export interface WorkbookResults {
  version: 1;
  /** WORKBOOK_TARGET of the run: labs, solutions or a folder. */
  target: string;
  finishedAt: string;
  labs: LabResult[];
  /** Tests outside the labs (the shared code's own tests). */
  other: { passed: number; failed: number; skipped: number };
}

/** Where a run's results go: `.workbook/results/results.json`, or WORKBOOK_RESULTS_FILE (graders, bench). */
export const RESULTS_FILE = process.env.WORKBOOK_RESULTS_FILE || join(REPO_ROOT, '.workbook', 'results', 'results.json');

/** What one run said about one check. */
export interface CheckOutcome {
  status: CheckStatus;
  message?: string;
  file?: string;
  fakeTenantRequests?: number;
  typeError?: true;
}

/** A lab's result: every check of its manifest, in manifest order, with the outcome the run reported. */
export function labResult(lab: Lab, outcomes: ReadonlyMap<string, CheckOutcome>, missing: CheckOutcome = { status: 'not-run' }): LabResult {
  const checks = lab.checks.map((check): CheckResult => {
    const { id, step, title, points, gradable, hint } = check;
    return { id, step, title, points, gradable, hint, ...(outcomes.get(id) ?? missing) };
  });
  return { id: lab.id, slug: lab.slug, title: lab.title, ...score(checks), checks };
}

/** Points and counts of some checks: of those checked here, what passed. */
export function score(checks: readonly CheckResult[]): Pick<LabResult, 'earned' | 'possible' | 'passed' | 'total'> {
  const checked = checks.filter((check) => check.status !== 'skipped');
  const passed = checked.filter((check) => check.status === 'passed');
  const points = (among: CheckResult[]) => among.filter((check) => check.gradable).reduce((sum, check) => sum + check.points, 0);
  return { earned: points(passed), possible: points(checked), passed: passed.length, total: checked.length };
}

/** The check to work on next: the first, in manifest order, that did not pass (and was checked). */
export function nextCheck(lab: Pick<LabResult, 'checks'>): CheckResult | undefined {
  return lab.checks.find((check) => check.status === 'failed' || check.status === 'not-started' || check.status === 'not-run');
}

/** The checks this machine did not check (skipped), each with its reason as its message. */
export function notCheckedHere(lab: Pick<LabResult, 'checks'>): CheckResult[] {
  return lab.checks.filter((check) => check.status === 'skipped');
}

/**
 * Where a lab stands, the one reading every surface shares: `to-do` while a check fails (or has not
 * started or run); otherwise `passed` when every check passed, `passed-what-ran` when every check
 * that ran passed and the rest were not checked here, `none-ran` when nothing was checked at all.
 */
export type LabStanding = 'passed' | 'passed-what-ran' | 'none-ran' | 'to-do';

export function labStanding(lab: Pick<LabResult, 'checks'>): LabStanding {
  if (nextCheck(lab)) return 'to-do';
  if (!lab.checks.some((check) => check.status === 'passed')) return 'none-ran';
  return notCheckedHere(lab).length > 0 ? 'passed-what-ran' : 'passed';
}

/** Done, as far as this machine can tell: every check that ran passed, and at least one did. */
export function labDone(lab: Pick<LabResult, 'checks'>): boolean {
  const standing = labStanding(lab);
  return standing === 'passed' || standing === 'passed-what-ran';
}

/**
 * The results file after a run of some labs: their new results replace their old ones, the other labs'
 * stay as they were (each carries its own fingerprint, so a stale one is never taken for fresh).
 * A file of another target is replaced.
 */
export function mergeResults(previous: WorkbookResults | undefined, run: WorkbookResults): WorkbookResults {
  const kept = previous?.target === run.target ? previous.labs.filter((lab) => !run.labs.some((ran) => ran.slug === lab.slug)) : [];
  return { ...run, labs: [...kept, ...run.labs].sort((a, b) => a.slug.localeCompare(b.slug)) };
}

export function writeResults(results: WorkbookResults, file = RESULTS_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export function readResults(file = RESULTS_FILE): WorkbookResults | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const results = JSON.parse(readFileSync(file, 'utf8')) as WorkbookResults;
    return results.version === 1 ? results : undefined;
  } catch {
    return undefined; // a results file from an interrupted run: run the checks again
  }
}
