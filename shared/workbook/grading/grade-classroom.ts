// The GitHub Classroom autograding workflow (.github/workflows/classroom.yml), generated from the labs'
// manifests so its points can never drift from them. One `npm test` runs every check and writes
// results.json; then one command-grader step per gradable check reads that check's result
// (scripts/classroom-check.ts) and earns its points when it passed: partial credit check by check, as
// `npm test` and the batch grader count it. The reporter adds the steps up and sends the total to Classroom.
//   npm run classroom    (writes it; test/shared/workbook/grade-classroom.test.ts compares)
import { join } from 'node:path';
import type { Check, Lab } from '../manifest.ts';
import { REPO_ROOT } from '../repo.ts';

export const CLASSROOM_WORKFLOW = join(REPO_ROOT, '.github', 'workflows', 'classroom.yml');

/** Minutes `npm test` may run on GitHub's runner (every lab: about a minute on two cores). */
const TEST_TIMEOUT_MINUTES = 15;
/** Minutes one check's grader step may take: it only reads results.json. */
const CHECK_TIMEOUT_MINUTES = 1;

/**
 * The step id of a check: letters, digits and `_` only (`check03_5_1`), so it is a valid step id and
 * environment variable name. The reporter reads each step's result from `<ID in capitals>_RESULTS`.
 */
export function stepId(check: Pick<Check, 'id'>): string {
  return `check${check.id.replaceAll('.', '_')}`;
}

/** The command a check's grader step runs: exit code 0 when the check passed in `npm test`'s results. */
export function checkCommand(check: Pick<Check, 'id'>): string {
  return `npx tsx scripts/classroom-check.ts ${check.id}`;
}

/** The checks that earn points, in lab and manifest order: one grader step each. */
export function gradedChecks(labs: readonly Lab[]): Check[] {
  return labs.flatMap((lab) => lab.checks.filter((check) => check.gradable));
}

export function classroomWorkflow(labs: readonly Lab[]): string {
  const checks = gradedChecks(labs);
  const lines = [
    '# GitHub Classroom autograding: generated from the labs\' manifests (test/NN-slug/lab.ts) by',
    '# `npm run classroom`; do not edit by hand. See docs/instructor-guide.md.',
    // The names GitHub Classroom\'s own generated workflow has, which its reporting expects.
    'name: Autograding Tests',
    'on:',
    '  push:',
    '  workflow_dispatch:',
    '  repository_dispatch:',
    'permissions:',
    '  checks: write',
    '  actions: read',
    '  contents: read',
    'jobs:',
    '  run-autograding-tests:',
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
    '      # Every check once, as the learner runs them; it writes .workbook/results/results.json (removed',
    '      # first, so a committed one is never read). Failing checks fail this step, not the grading.',
    '      - name: npm test',
    '        run: rm -rf .workbook/results && npm test',
    '        continue-on-error: true',
    `        timeout-minutes: ${TEST_TIMEOUT_MINUTES}`,
  ];
  for (const check of checks) {
    lines.push(
      `      - name: ${yamlString(`${check.id} ${check.title}`)}`,
      `        id: ${stepId(check)}`,
      '        uses: classroom-resources/autograding-command-grader@v1',
      '        with:',
      `          test-name: ${yamlString(`${check.id} ${check.title}`)}`,
      `          command: ${checkCommand(check)}`,
      `          timeout: ${CHECK_TIMEOUT_MINUTES}`,
      `          max-score: ${check.points}`,
    );
  }
  lines.push(
    '      - name: Autograding reporter',
    '        uses: classroom-resources/autograding-grading-reporter@v1',
    '        env:',
    ...checks.map((check) => `          ${stepId(check).toUpperCase()}_RESULTS: "\${{ steps.${stepId(check)}.outputs.result }}"`),
    '        with:',
    `          runners: ${checks.map(stepId).join(',')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** A YAML double-quoted string (JSON's escaping is valid YAML). */
function yamlString(text: string): string {
  return JSON.stringify(text);
}
