// The short table `npm run grade` prints: one line per submission, then the checks this machine could not
// run (not checked here) and why; the CSV has the detail.
import pc from 'picocolors';
import type { SubmissionGrade } from './grade-batch.ts';
import { percent } from './grade-csv.ts';
import { notCheckedHere, type CheckResult } from '../results.ts';
import { countChecks, formatNotChecked } from '../summary.ts';

export function formatGradebook(grades: readonly SubmissionGrade[]): string[] {
  const nameWidth = Math.max('submission'.length, ...grades.map((grade) => grade.name.length));
  const header = `  ${'submission'.padEnd(nameWidth)}  ${'points'.padStart(9)}  ${'%'.padStart(5)}  ${'time'.padStart(7)}  flagged`;
  return [pc.dim(header), ...grades.map((grade) => formatGrade(grade, nameWidth)), ...formatRegrade(grades)];
}

function formatGrade(grade: SubmissionGrade, nameWidth: number): string {
  const flagged = grade.tampering.length > 0 ? pc.red(`yes (${grade.tampering.length === 1 ? '1 file differs' : `${grade.tampering.length} files differ`})`) : 'no';
  const skipped = notChecked(grade);
  const regrade = skipped.length > 0 ? [`re-grade: ${countChecks(skipped)} not checked here`] : [];
  const notes = grade.notes.length + regrade.length > 0 ? `  ${pc.yellow([...regrade, ...grade.notes].join('; '))}` : '';
  return (
    `  ${grade.name.padEnd(nameWidth)}  ${`${grade.earned}/${grade.possible}`.padStart(9)}  ` +
    `${percent(grade.earned, grade.possible).toFixed(1).padStart(5)}  ${`${grade.seconds.toFixed(1)} s`.padStart(7)}  ${flagged}${notes}`
  );
}

/**
 * The checks this machine could not run, with why, and what to do: each is left out of the points (not
 * 0, not full) of the submissions it was not checked for, which need grading again where it runs.
 */
function formatRegrade(grades: readonly SubmissionGrade[]): string[] {
  const regrade = grades.filter((grade) => notChecked(grade).length > 0);
  if (regrade.length === 0) return [];
  const checks = [...new Map(regrade.flatMap(notChecked).map((check) => [check.id, check])).values()];
  return [
    '',
    pc.yellow(`  Not checked on this machine, so left out of the points of ${regrade.length === 1 ? '1 submission' : `${regrade.length} submissions`}:`),
    ...formatNotChecked(checks, '    '),
    pc.yellow('  Fix that here (or grade on a machine that can run them), then grade those submissions again.'),
  ];
}

const notChecked = (grade: SubmissionGrade): CheckResult[] => grade.labs.flatMap(notCheckedHere);
