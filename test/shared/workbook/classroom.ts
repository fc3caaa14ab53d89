// GitHub Classroom, as the tests play it: the grader steps of a workflow (read from its text), each
// earning its max-score when its command succeeds, added up as the reporter does.
import { classroomVerdict } from '#shared/workbook/grading/classroom-check.ts';
import type { WorkbookResults } from '#shared/workbook/results.ts';

export interface GraderStep {
  id: string;
  command: string;
  /** The check the command asks about. */
  check: string;
  maxScore: number;
}

const STEP = /^ {8}id: (\S+)\n {8}uses: classroom-resources\/autograding-command-grader@v1\n(?: {8,}\S.*\n)*/gm;

/** Every command-grader step of the workflow, in order. */
export function graderSteps(workflow: string): GraderStep[] {
  return [...workflow.matchAll(STEP)].map(([text, id]) => {
    const command = /^ {10}command: (.*)$/m.exec(text)?.[1] ?? '';
    return {
      id: id!,
      command,
      check: /^npx tsx scripts\/classroom-check\.ts (\d\d\.\d+\.\d+)$/.exec(command)?.[1] ?? `(not a check command: ${command})`,
      maxScore: Number(/^ {10}max-score: (\d+)$/m.exec(text)?.[1]),
    };
  });
}

/** What Classroom's reporter totals for a run: each step's max-score when its check passed. */
export function classroomScore(workflow: string, results: WorkbookResults | undefined): { earned: number; possible: number } {
  const steps = graderSteps(workflow);
  return {
    earned: steps.filter((step) => classroomVerdict(results, step.check).passed).reduce((sum, step) => sum + step.maxScore, 0),
    possible: steps.reduce((sum, step) => sum + step.maxScore, 0),
  };
}
