// .github/workflows/classroom.yml gives each lab the points its manifest does: it is generated from the
// manifests, and this test fails until `npx tsx scripts/classroom.ts` has written the current version.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CLASSROOM_WORKFLOW, classroomWorkflow, labPoints, stepId } from '#shared/workbook/grade-classroom.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';

test('the Classroom workflow is the one generated from the labs\' manifests', async () => {
  const labs = await discoverLabs();
  expect(readFileSync(CLASSROOM_WORKFLOW, 'utf8'), 'run `npx tsx scripts/classroom.ts` after changing a lab or its points').toBe(
    classroomWorkflow(labs),
  );
});

test('one grader step per lab, worth its gradable points, and the reporter reads every one', async () => {
  const labs = await discoverLabs();
  const workflow = classroomWorkflow(labs);
  for (const lab of labs) {
    const step = workflow.slice(workflow.indexOf(`id: ${stepId(lab)}\n`)).split('      - ')[0]!;
    expect(step).toContain(`command: npx vitest run --project ${lab.slug}\n`);
    expect(step).toContain(`max-score: ${lab.checks.filter((check) => check.gradable).reduce((sum, check) => sum + check.points, 0)}\n`);
    expect(labPoints(lab)).toBeGreaterThan(0);
    expect(workflow).toContain(`${stepId(lab).toUpperCase()}_RESULTS: "\${{ steps.${stepId(lab)}.outputs.result }}"`);
  }
  expect(workflow).toContain(`runners: ${labs.map(stepId).join(',')}\n`);
});
