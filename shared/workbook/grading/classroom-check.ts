// One check's verdict for GitHub Classroom: the workflow runs `npm test` once, then one grader step per
// check (scripts/classroom-check.ts), which earns the check's points exactly when this says it passed.
// A failed or missing check earns none. So does a check not checked here (skipped; its reason goes to the
// step's log), unlike in `npm test` and the batch grader, which leave it out of the total: a Classroom
// step earns its points or none, with no third outcome, and points for code no check ran would be worse.
// GitHub's runners have Chrome, which browser.ts finds, so there the browser check does run.
import { firstLine } from '../outcomes.ts';
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
  const status = check.status === 'skipped' ? 'not checked here' : check.status;
  const why = check.status === 'passed' ? '' : `: ${firstLine(check.message)}`;
  return { passed: check.status === 'passed', line: `${check.id} ${check.title} (${check.points} points): ${status}${why}`.replace(/: $/, '') };
}
