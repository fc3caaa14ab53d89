// The gradebook as CSV (RFC 4180): one row per submission, a column per lab and per gradable check,
// ready for a spreadsheet or an LMS import. A check not checked on the grading machine (skipped: no
// browser, say) reads `not checked` in its column, is left out of `possible` (so of the percentage), and
// the row's `re-grade` column says which and why: grade that submission again where it can run.
import type { SubmissionGrade } from './grade-batch.ts';
import { flagReason } from './grade-tamper.ts';
import type { Lab } from '../manifest.ts';
import { firstLine } from '../outcomes.ts';
import { notCheckedHere, type CheckResult, type LabResult } from '../results.ts';
import { pointsOf } from '../summary.ts';

/** One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled inside. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A spreadsheet runs a cell starting with = + - @ as a formula: a leading ' keeps it text (OWASP's advice).
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number>): string {
  return values.map(csvField).join(',');
}

/** Earned of possible, as a percentage with one decimal (0 when nothing is possible). */
export function percent(earned: number, possible: number): number {
  return possible === 0 ? 0 : Math.round((earned / possible) * 1000) / 10;
}

/** The gradebook: a header, then one line per submission; lines end in CRLF, as RFC 4180 has it. */
export function gradebookCsv(labs: readonly Lab[], grades: readonly SubmissionGrade[]): string {
  const checks = labs.flatMap((lab) => lab.checks.filter((check) => check.gradable));
  const header = [
    'submission', 'earned', 'possible', 'percent',
    ...labs.map((lab) => lab.slug),
    ...checks.map((check) => check.id),
    'flagged', 'flag reason', 're-grade', 'seconds', 'notes',
  ];
  const rows = grades.map((grade) => {
    const results = grade.labs.flatMap((lab) => lab.checks);
    return [
      grade.name, grade.earned, grade.possible, percent(grade.earned, grade.possible),
      ...labs.map((lab) => grade.labs.find((result) => result.slug === lab.slug)?.earned ?? 0),
      // Partial credit: each check earns its points when it passed, none when it did not; one not checked says so.
      ...checks.map((check) => checkCell(check.points, results.find((result) => result.id === check.id))),
      grade.tampering.length > 0 ? 'yes' : 'no', flagReason(grade.tampering), regradeReason(grade.labs), Math.round(grade.seconds * 10) / 10, grade.notes.join('; '),
    ];
  });
  return [header, ...rows].map((row) => `${csvLine(row)}\r\n`).join('');
}

function checkCell(points: number, result: CheckResult | undefined): number | string {
  if (result?.status === 'skipped') return 'not checked';
  return result?.status === 'passed' ? points : 0;
}

/** Why a submission needs grading again elsewhere: its checks not checked here, each with its reason; empty when none. */
export function regradeReason(labs: readonly LabResult[]): string {
  return labs
    .flatMap(notCheckedHere)
    .map((check) => `${check.id} not checked (${pointsOf([check])}): ${firstLine(check.message) || 'skipped'}`)
    .join('; ');
}
