// .github/workflows/classroom.yml gives each check the points its manifest does: it is generated from the
// manifests, and this test fails until `npm run classroom` has written the current version.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { classroomVerdict } from '#shared/workbook/grading/classroom-check.ts';
import { CLASSROOM_WORKFLOW, classroomWorkflow, gradedChecks, stepId } from '#shared/workbook/grading/grade-classroom.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { labResult, type CheckOutcome, type WorkbookResults } from '#shared/workbook/results.ts';
import { graderSteps } from './classroom.ts';

test('the Classroom workflow is the one generated from the labs\' manifests', async () => {
  const labs = await discoverLabs();
  expect(readFileSync(CLASSROOM_WORKFLOW, 'utf8'), 'run `npm run classroom` after changing a lab or its points').toBe(classroomWorkflow(labs));
});

test('npm test runs once, then one grader step per gradable check, worth its points, and the reporter reads every one', async () => {
  const labs = await discoverLabs();
  const workflow = classroomWorkflow(labs);
  const steps = graderSteps(workflow);
  const gradable = labs.flatMap((lab) => lab.checks.filter((check) => check.gradable));
  expect(steps.map((step) => step.check)).toEqual(gradable.map((check) => check.id));
  expect(steps.map((step) => step.maxScore)).toEqual(gradable.map((check) => check.points));
  expect(steps.reduce((sum, step) => sum + step.maxScore, 0)).toBe(labs.reduce((sum, lab) => sum + labResult(lab, new Map()).possible, 0));
  expect(workflow.match(/run: .*npm test/g), 'one npm test for every check').toHaveLength(1);
  expect(workflow.indexOf('npm test')).toBeLessThan(workflow.indexOf('autograding-command-grader'));
  for (const check of gradable) {
    expect(stepId(check)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/); // a step id and an environment variable name
    expect(workflow).toContain(`          ${stepId(check).toUpperCase()}_RESULTS: "\${{ steps.${stepId(check)}.outputs.result }}"\n`);
  }
  expect(workflow).toContain(`runners: ${gradable.map(stepId).join(',')}\n`);
  // GitHub Classroom's reporting looks for the names of the workflow it generates itself.
  expect(workflow).toMatch(/^name: Autograding Tests$/m);
  expect(workflow).toMatch(/^ {2}run-autograding-tests:$/m);
});

/** A results.json as `npm test` writes it, for two labs of the workbook, with the given outcomes. */
function results(labs: readonly Lab[], outcomes: Record<string, CheckOutcome>): WorkbookResults {
  return { version: 1, target: 'labs', finishedAt: new Date().toISOString(), labs: labs.map((lab) => labResult(lab, new Map(Object.entries(outcomes)))), other: { passed: 0, failed: 0, skipped: 0 } };
}

test('a check step passes only on a passed check: failed, not started, skipped, missing or no results earn nothing', async () => {
  const labs = (await discoverLabs()).slice(0, 2);
  const [a, b, c, d] = gradedChecks(labs).map((check) => check.id) as [string, string, string, string];
  const run = results(labs, {
    [a]: { status: 'passed' },
    [b]: { status: 'failed', message: 'expected 401\nmore' },
    [c]: { status: 'skipped', message: 'needs Chromium' },
    [d]: { status: 'not-started', message: 'TODO(01.2)' },
  });
  expect(classroomVerdict(run, a).passed).toBe(true);
  expect(classroomVerdict(run, b)).toMatchObject({ passed: false, line: expect.stringMatching(/: failed: expected 401$/) });
  expect(classroomVerdict(run, c), 'a check not checked here fails its step, with its reason in the log').toMatchObject({ passed: false, line: expect.stringMatching(/ \(\d+ points\): not checked here: needs Chromium$/) });
  expect(classroomVerdict(run, d).passed).toBe(false);
  expect(classroomVerdict(run, '09.9.9').passed).toBe(false);
  expect(classroomVerdict(undefined, a)).toMatchObject({ passed: false, line: expect.stringContaining('no results') });
});
