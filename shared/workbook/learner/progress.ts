// What the workbook CLI remembers between commands, in .workbook/progress.json (ignored by git):
// how many hints of each check the learner has seen, and when each lab first passed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../repo.ts';
import { labDone, type LabResult } from '../results.ts';

export interface Progress {
  version: 1;
  /** How many hints of each check `hint` (or `h` in watch) has shown, by check id. */
  hints: Record<string, number>;
  /** When each lab first had every check passing (those not checked here aside: `labDone`), by lab id (ISO time). */
  completed: Record<string, string>;
  /** When the home screen last re-checked every lab because the last one had just passed. */
  rechecked?: string;
}

export const PROGRESS_FILE = join(REPO_ROOT, '.workbook', 'progress.json');

export function emptyProgress(): Progress {
  return { version: 1, hints: {}, completed: {} };
}

export function readProgress(file = PROGRESS_FILE): Progress {
  if (!existsSync(file)) return emptyProgress();
  try {
    const progress = JSON.parse(readFileSync(file, 'utf8')) as Progress;
    return progress.version === 1 ? { ...emptyProgress(), ...progress } : emptyProgress();
  } catch {
    return emptyProgress(); // a file cut short: start again rather than fail a command
  }
}

export function writeProgress(progress: Progress, file = PROGRESS_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(progress, null, 2)}\n`);
}

/** The hints of a check the learner has already seen (none before the first `hint`). */
export function hintsShown(progress: Progress, check: { id: string; hint: string[] }): string[] {
  return check.hint.slice(0, progress.hints[check.id] ?? 0);
}

/**
 * Shows one more hint of `check`: the hints seen so far plus the next one. `revealed` is false when
 * every hint was already shown.
 */
export function revealHint(progress: Progress, check: { id: string; hint: string[] }): { progress: Progress; shown: string[]; revealed: boolean } {
  const seen = Math.min(progress.hints[check.id] ?? 0, check.hint.length);
  if (seen === check.hint.length) return { progress, shown: check.hint, revealed: false };
  const next = { ...progress, hints: { ...progress.hints, [check.id]: seen + 1 } };
  return { progress: next, shown: check.hint.slice(0, seen + 1), revealed: true };
}

/** Stamps every lab whose checks all pass (every one that ran), the first time they do. */
export function recordCompleted(progress: Progress, labs: LabResult[], now: Date): Progress {
  const done = labs.filter((lab) => labDone(lab) && !progress.completed[lab.id]);
  if (done.length === 0) return progress;
  return { ...progress, completed: { ...progress.completed, ...Object.fromEntries(done.map((lab) => [lab.id, now.toISOString()])) } };
}

/** Every lab has passed, and nothing has re-checked them all since the last one did (rustlings does this once). */
export function needsRecheck(progress: Progress, labIds: string[]): boolean {
  const stamps = labIds.map((id) => progress.completed[id]);
  if (labIds.length === 0 || stamps.some((stamp) => !stamp)) return false;
  const lastCompleted = stamps.sort().at(-1)!;
  return !progress.rechecked || progress.rechecked < lastCompleted;
}

/** Records the labs a run found passing in the progress file (written only when something changed). */
export function noteCompleted(labs: LabResult[], target: string, file = PROGRESS_FILE, now = new Date()): Progress {
  const before = readProgress(file);
  // Progress is the learner's: a run against solutions/ or a grader's folder records nothing.
  if (target !== 'labs') return before;
  const after = recordCompleted(before, labs, now);
  if (after !== before) writeProgress(after, file);
  return after;
}
