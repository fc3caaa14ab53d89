// One check's verdict for GitHub Classroom: the workflow runs `npm test` once, then one grader step per
// check (scripts/classroom-check.ts), which earns the check's points exactly when this says it passed.
// So Classroom counts what the table of `npm test` counts: a check earns its points when it passed, and
// a failed, skipped or missing one earns none.
import type { WorkbookResults } from '../results.ts';

export interface ClassroomVerdict {
  passed: boolean;
  /** One line for the step's log: the check, its status and why. */
  line: string;
}

export function classroomVerdict(results: WorkbookResults | undefined, id: string): ClassroomVerdict {
  if (!results) return { passed: false, line: `${id}: no results, so npm test did not finish (see its step above)` };
  const check = results.labs.flatMap((lab) => lab.checks).find((candidate) => candidate.id === id);
  if (!check) return { passed: false, line: `${id}: not in the results of npm test` };
  const why = check.status === 'passed' ? '' : `: ${(check.message ?? '').split('\n').find((line) => line.trim() !== '')?.trim() ?? ''}`;
  return { passed: check.status === 'passed', line: `${check.id} ${check.title} (${check.points} points): ${check.status}${why}`.replace(/: $/, '') };
}
