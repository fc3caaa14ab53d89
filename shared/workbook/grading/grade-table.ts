// The short table `npm run grade` prints: one line per submission; the CSV has the detail.
import pc from 'picocolors';
import type { SubmissionGrade } from './grade-batch.ts';
import { percent } from './grade-csv.ts';

export function formatGradebook(grades: readonly SubmissionGrade[]): string[] {
  const nameWidth = Math.max('submission'.length, ...grades.map((grade) => grade.name.length));
  const header = `  ${'submission'.padEnd(nameWidth)}  ${'points'.padStart(9)}  ${'%'.padStart(5)}  ${'time'.padStart(7)}  flagged`;
  return [pc.dim(header), ...grades.map((grade) => formatGrade(grade, nameWidth))];
}

function formatGrade(grade: SubmissionGrade, nameWidth: number): string {
  const flagged = grade.tampering.length > 0 ? pc.red(`yes (${grade.tampering.length === 1 ? '1 file differs' : `${grade.tampering.length} files differ`})`) : 'no';
  const notes = grade.notes.length > 0 ? `  ${pc.yellow(grade.notes.join('; '))}` : '';
  return (
    `  ${grade.name.padEnd(nameWidth)}  ${`${grade.earned}/${grade.possible}`.padStart(9)}  ` +
    `${percent(grade.earned, grade.possible).toFixed(1).padStart(5)}  ${`${grade.seconds.toFixed(1)} s`.padStart(7)}  ${flagged}${notes}`
  );
}
