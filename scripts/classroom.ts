// Writes .github/workflows/classroom.yml, GitHub Classroom's autograding, from the labs' manifests:
// run it after changing a lab's points (a shared test fails until you do). See shared/workbook/grade-classroom.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CLASSROOM_WORKFLOW, classroomWorkflow } from '#shared/workbook/grade-classroom.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { displayPath } from '#shared/workbook/repo.ts';

mkdirSync(dirname(CLASSROOM_WORKFLOW), { recursive: true });
writeFileSync(CLASSROOM_WORKFLOW, classroomWorkflow(await discoverLabs()));
console.log(`Wrote ${displayPath(CLASSROOM_WORKFLOW)}.`);
