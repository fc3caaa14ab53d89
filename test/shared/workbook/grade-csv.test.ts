// The gradebook CSV: escaping (RFC 4180, and no spreadsheet formulas), and one row per submission with
// per-lab and per-check points.
import { expect, test } from 'vitest';
import type { SubmissionGrade } from '#shared/workbook/grading/grade-batch.ts';
import { csvField, csvLine, gradebookCsv, percent } from '#shared/workbook/grading/grade-csv.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { labResult, type CheckOutcome } from '#shared/workbook/results.ts';

test('a field is quoted only when it must be, with its quotes doubled', () => {
  expect(csvField('alice')).toBe('alice');
  expect(csvField(12.5)).toBe('12.5');
  expect(csvField('Smith, Alex')).toBe('"Smith, Alex"');
  expect(csvField('the "best" lab')).toBe('"the ""best"" lab"');
  expect(csvField('two\nlines')).toBe('"two\nlines"');
  expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  expect(csvLine(['a', 1, 'b,c', ''])).toBe('a,1,"b,c",');
});

test('text a spreadsheet would run as a formula is kept as text', () => {
  expect(csvField('=HYPERLINK("http://example.com")')).toBe('"\'=HYPERLINK(""http://example.com"")"');
  expect(csvField('+1')).toBe("'+1");
  expect(csvField('-x')).toBe("'-x");
  expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvField(-3)).toBe('-3'); // a number is a number
});

test('percent has one decimal, and is 0 when nothing is possible', () => {
  expect(percent(1, 3)).toBe(33.3);
  expect(percent(122, 122)).toBe(100);
  expect(percent(0, 0)).toBe(0);
});

// A manifest as defineLab() returns it (not registered: this worker's other tests share the registry).
const lab: Lab = {
  id: '92', slug: '92-csv', title: 'CSV', summary: 'A lab for the gradebook test.',
  steps: [{ id: '92.1', title: 'One', file: 'src/one.ts', readme: '#step-1' }],
  checks: [
    { id: '92.1.1', step: '92.1', title: 'first', points: 3, hint: ['h'], gradable: true },
    { id: '92.1.2', step: '92.1', title: 'second', points: 2, hint: ['h'], gradable: true },
    { id: '92.1.3', step: '92.1', title: 'the starter passes it', points: 0, hint: ['h'], gradable: false, reason: 'r' },
  ],
};

function grade(name: string, passed: string[], extra: Partial<SubmissionGrade> = {}): SubmissionGrade {
  const outcomes = new Map<string, CheckOutcome>(passed.map((id) => [id, { status: 'passed' }]));
  const result = labResult(lab, outcomes, { status: 'failed', message: 'no' });
  return { name, earned: result.earned, possible: result.possible, labs: [result], seconds: 12.34, tampering: [], notes: [], ...extra };
}

test('the gradebook: a header with the labs and gradable checks, then a row per submission', () => {
  const csv = gradebookCsv([lab], [
    grade('alice', ['92.1.1', '92.1.2', '92.1.3']),
    grade('Bob, "the builder"', ['92.1.2'], {
      tampering: [
        { file: 'test/92-csv/extra.test.ts', change: 'added' },
        { file: 'test/92-csv/lab.ts', change: 'changed' },
        { file: 'test/92-csv/one.test.ts', change: 'changed' },
      ],
      notes: ['timed out after 300 s'],
    }),
  ]);
  expect(csv.split('\r\n')).toEqual([
    'submission,earned,possible,percent,92-csv,92.1.1,92.1.2,flagged,flag reason,re-grade,seconds,notes',
    'alice,5,5,100,5,3,2,no,,,12.3,',
    '"Bob, ""the builder""",2,5,40,2,0,2,yes,' +
      '"changed: test/92-csv/lab.ts (the lab\'s points and checks), test/92-csv/one.test.ts; added: test/92-csv/extra.test.ts",' +
      ',12.3,timed out after 300 s',
    '',
  ]);
});
