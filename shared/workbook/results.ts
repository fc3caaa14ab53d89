// The outcome of a check run, per lab and per check: what the table shows and results.json holds
// (.workbook/results/results.json, read by `npm start` and by graders' scripts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';

/** `not-started`: the check reached a `throw todo(...)`. `not-run`: no test reported this check. */
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
}

export interface LabResult {
  id: string;
  slug: string;
  title: string;
  earned: number;
  possible: number;
  passed: number;
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
}

/** A lab's result: every check of its manifest, in manifest order, with the outcome the run reported. */
export function labResult(lab: Lab, outcomes: ReadonlyMap<string, CheckOutcome>, missing: CheckOutcome = { status: 'not-run' }): LabResult {
  const checks = lab.checks.map((check): CheckResult => {
    const { id, step, title, points, gradable, hint } = check;
    return { id, step, title, points, gradable, hint, ...(outcomes.get(id) ?? missing) };
  });
  const passed = checks.filter((check) => check.status === 'passed');
  return {
    id: lab.id,
    slug: lab.slug,
    title: lab.title,
    earned: passed.filter((check) => check.gradable).reduce((sum, check) => sum + check.points, 0),
    possible: checks.filter((check) => check.gradable).reduce((sum, check) => sum + check.points, 0),
    passed: passed.length,
    total: checks.length,
    checks,
  };
}

/** The check to work on next: the first, in manifest order, that did not pass. */
export function nextCheck(lab: LabResult): CheckResult | undefined {
  return lab.checks.find((check) => check.status === 'failed' || check.status === 'not-started' || check.status === 'not-run');
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
