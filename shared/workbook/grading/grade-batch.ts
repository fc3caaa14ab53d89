// Batch grading: every submission in a folder, graded by this repository's pristine checks, several
// at once, each in a scratch copy under .workbook/grading/ that is removed afterwards.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runGrading, type RunOptions } from './grade-run.ts';
import { findSubmissions, safeName, stageSubmission, type Submission } from './grade-submissions.ts';
import { tamperFindings, type TamperFinding } from './grade-tamper.ts';
import type { Lab } from '../manifest.ts';
import { REPO_ROOT } from '../repo.ts';
import { labResult, type LabResult } from '../results.ts';

export interface SubmissionGrade {
  name: string;
  earned: number;
  possible: number;
  /** Every lab of the workbook, scored by its manifest (a lab that did not run scores 0). */
  labs: LabResult[];
  /** Wall time of its check run. */
  seconds: number;
  /** Where it differs from the workbook outside its labs (grade-tamper.ts): non-empty means flagged. */
  tampering: TamperFinding[];
  /** What else the instructor should know: labs it lacks, a run that timed out. */
  notes: string[];
}

export interface BatchOptions {
  /** Runs at once (default: the machine's cores). */
  jobs?: number;
  /** Per submission (default: 5 minutes). */
  timeoutMs?: number;
  /** Keeps each submission's results.json here (default: .workbook/grading/results/). */
  resultsDir?: string;
  signal?: AbortSignal;
  /** Called as each submission is graded, in the order they finish. */
  onGraded?: (grade: SubmissionGrade) => void;
}

export const GRADING_DIR = join(REPO_ROOT, '.workbook', 'grading');

export async function gradeSubmissions(dir: string, labs: readonly Lab[], options: BatchOptions = {}): Promise<SubmissionGrade[]> {
  const submissions = findSubmissions(dir, labs.map((lab) => lab.slug));
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), submissions.length));
  const resultsDir = options.resultsDir ?? join(GRADING_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  // Inside the repository, so the staged lab code resolves #shared/* to the repository's own code.
  mkdirSync(GRADING_DIR, { recursive: true });
  const scratch = mkdtempSync(join(GRADING_DIR, 'run-'));
  try {
    return await inParallel(submissions, jobs, async (submission, index) => {
      const grade = await gradeOne(submission, labs, {
        target: join(scratch, `${index}-${safeName(submission.name)}`),
        resultsFile: join(resultsDir, `${safeName(submission.name)}.json`),
        labs: labs.map((lab) => lab.slug),
        timeoutMs: options.timeoutMs ?? 5 * 60_000,
        // The cores are shared among the runs going at once; vitest would otherwise take them all in each.
        maxWorkers: Math.max(1, Math.floor(availableParallelism() / jobs)),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onGraded?.(grade);
      return grade;
    }, options.signal);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function gradeOne(submission: Submission, labs: readonly Lab[], run: RunOptions): Promise<SubmissionGrade> {
  if (submission.labs.length === 0) {
    return submissionGrade(submission, labs, [], 0, ['no lab folders: expected <submission>/labs/NN-slug/ or <submission>/NN-slug/']);
  }
  mkdirSync(run.target, { recursive: true });
  stageSubmission(submission, run.target);
  const outcome = await runGrading(run);
  rmSync(run.target, { recursive: true, force: true });
  return submissionGrade(submission, labs, outcome.results?.labs ?? [], outcome.seconds, outcome.problem ? [outcome.problem] : []);
}

/** A submission's row: each lab of the workbook scored from the run's results, or 0 if it did not run. */
export function submissionGrade(submission: Submission, labs: readonly Lab[], results: readonly LabResult[], seconds: number, problems: string[] = []): SubmissionGrade {
  const scored = labs.map((lab) => results.find((result) => result.slug === lab.slug) ?? labResult(lab, new Map()));
  const missing = submission.labs.length === 0 ? [] : labs.filter((lab) => !submission.labs.includes(lab.slug)).map((lab) => lab.slug);
  const notes = [...problems, ...(missing.length > 0 ? [`no folder for ${missing.join(', ')}`] : [])];
  return {
    name: submission.name,
    earned: scored.reduce((sum, lab) => sum + lab.earned, 0),
    possible: scored.reduce((sum, lab) => sum + lab.possible, 0),
    labs: scored,
    seconds,
    tampering: tamperFindings(submission.dir),
    notes,
  };
}

/** `work` on every item, at most `limit` at a time, results in the items' order; none starts once `signal` aborts. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results.filter((result) => result !== undefined);
}
