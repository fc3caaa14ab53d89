// GitHub Classroom's grader step for one check (.github/workflows/classroom.yml runs one per check, after
// `npm test`): exits 0 when the check passed in that run's results.json, 1 otherwise.
//   npx tsx scripts/classroom-check.ts 03.5.1
import { classroomVerdict } from '#shared/workbook/grading/classroom-check.ts';
import { readResults } from '#shared/workbook/results.ts';

const id = process.argv[2];
if (!id || !/^\d\d\.\d+\.\d+$/.test(id)) {
  console.error('usage: npx tsx scripts/classroom-check.ts <check id, like 03.5.1>');
  process.exitCode = 2;
} else {
  const verdict = classroomVerdict(readResults(), id);
  console.log(verdict.line);
  process.exitCode = verdict.passed ? 0 : 1;
}
