// npm run classroom [-- workflow]
//   writes .github/workflows/classroom.yml, GitHub Classroom's autograding, from the labs' manifests: run it
//   after changing a lab's points (a shared test fails until you do). See shared/workbook/grading/grade-classroom.ts.
// npm run classroom -- export <dir>
//   writes the classroom edition to <dir>: a student repository without solutions/ and without the
//   maintainers' and instructors' tools. See shared/workbook/grading/grade-export.ts and docs/instructor-guide.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASSROOM_WORKFLOW, classroomWorkflow } from '#shared/workbook/grading/grade-classroom.ts';
import { ExportError, exportClassroom } from '#shared/workbook/grading/grade-export.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { displayPath } from '#shared/workbook/repo.ts';

const USAGE = 'usage: npm run classroom [-- workflow]\n       npm run classroom -- export <dir>';
const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const [command = 'workflow', ...rest] = positionals;
const labs = await discoverLabs();

if (command === 'workflow' && rest.length === 0) {
  mkdirSync(dirname(CLASSROOM_WORKFLOW), { recursive: true });
  writeFileSync(CLASSROOM_WORKFLOW, classroomWorkflow(labs));
  console.log(`Wrote ${displayPath(CLASSROOM_WORKFLOW)}.`);
} else if (command === 'export' && rest.length === 1) {
  const dir = resolve(rest[0]!);
  try {
    const { files } = exportClassroom(dir, labs);
    console.log(`Wrote the classroom edition to ${displayPath(dir)}/ (${files.length} files, no solutions/).`);
    console.log('Make it a repository and push it as your assignment\'s template: see docs/instructor-guide.md, "GitHub Classroom".');
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
} else {
  console.error(USAGE);
  process.exitCode = 2;
}
