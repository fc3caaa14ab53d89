// The GitHub Classroom autograding workflow (.github/workflows/classroom.yml), generated from the labs'
// manifests so its points can never drift from them: one command-grader step per lab, worth the
// lab's points when all its checks pass, then the reporter that sends the total to GitHub Classroom.
//   npx tsx scripts/classroom.ts    (writes it; test/shared/workbook/grade-classroom.test.ts compares)
import { join } from 'node:path';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';
import { labResult } from './results.ts';

export const CLASSROOM_WORKFLOW = join(REPO_ROOT, '.github', 'workflows', 'classroom.yml');

/** Minutes one lab's checks may run on GitHub's runner before the step fails. */
const LAB_TIMEOUT_MINUTES = 5;

/**
 * The step id of a lab, letters and digits only (what the reporter's `runners` input accepts): `lab03`.
 * The reporter reads each runner's result from the env variable `<ID in capitals>_RESULTS`.
 */
export function stepId(lab: Pick<Lab, 'id'>): string {
  return `lab${lab.id}`;
}

/** The points a lab is worth: its gradable checks' points, as the reporter's table counts them. */
export function labPoints(lab: Lab): number {
  return labResult(lab, new Map()).possible;
}

export function classroomWorkflow(labs: readonly Lab[]): string {
  const lines = [
    '# GitHub Classroom autograding: generated from the labs\' manifests (test/NN-slug/lab.ts) by',
    '# `npx tsx scripts/classroom.ts`; do not edit by hand. See docs/instructor-guide.md.',
    'name: Autograding',
    'on:',
    '  push:',
    '  workflow_dispatch:',
    '  repository_dispatch:',
    'permissions:',
    '  checks: write',
    '  actions: read',
    '  contents: read',
    'jobs:',
    '  autograding:',
    '    runs-on: ubuntu-latest',
    '    # Not on the template itself (its labs are the starters), nor on Classroom\'s first commit.',
    "    if: ${{ !github.event.repository.is_template && github.actor != 'github-classroom[bot]' }}",
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 20',
    '          cache: npm',
    '      - run: npm ci',
  ];
  for (const lab of labs) {
    lines.push(
      `      - name: ${yamlString(`Lab ${lab.id}: ${lab.title}`)}`,
      `        id: ${stepId(lab)}`,
      '        uses: classroom-resources/autograding-command-grader@v1',
      '        with:',
      `          test-name: ${yamlString(`${lab.id} ${lab.title}`)}`,
      `          command: npx vitest run --project ${lab.slug}`,
      `          timeout: ${LAB_TIMEOUT_MINUTES}`,
      `          max-score: ${labPoints(lab)}`,
    );
  }
  lines.push(
    '      - name: Autograding reporter',
    '        uses: classroom-resources/autograding-grading-reporter@v1',
    '        env:',
    ...labs.map((lab) => `          ${stepId(lab).toUpperCase()}_RESULTS: "\${{ steps.${stepId(lab)}.outputs.result }}"`),
    '        with:',
    `          runners: ${labs.map(stepId).join(',')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** A YAML double-quoted string (JSON's escaping is valid YAML). */
function yamlString(text: string): string {
  return JSON.stringify(text);
}
