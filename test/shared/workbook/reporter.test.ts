import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { homeScreen } from '#shared/workbook/learner/cli.ts';
import { discoverLabs, findLab } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import WorkbookReporter from '#shared/workbook/reporter.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { readResults, type WorkbookResults } from '#shared/workbook/results.ts';
import { runCheckProjects } from '#shared/workbook/run-checks.ts';
import { formatResults } from '#shared/workbook/summary.ts';
import { FIXTURE_ROOT, FIXTURE_SUFFIX } from './fixture.ts';

const plain = (lines: string[]) => stripVTControlCharacters(lines.join('\n'));
let labs: Lab[];
let results: WorkbookResults;
let dir: string;

// One real run of the fixture lab's checks against its untouched starters (fixtures/workbook/labs/).
beforeAll(async () => {
  mkdirSync(join(REPO_ROOT, '.workbook'), { recursive: true });
  dir = mkdtempSync(join(REPO_ROOT, '.workbook', 'reporter-'));
  labs = await discoverLabs(FIXTURE_ROOT);
  const reporter = new WorkbookReporter({ root: FIXTURE_ROOT, outputFile: join(dir, 'results.json'), print: false });
  const project = { name: '91-greeting', include: [`test/91-greeting/**/*${FIXTURE_SUFFIX}`], target: join(FIXTURE_ROOT, 'labs') };
  await runCheckProjects(FIXTURE_ROOT, [project], { reporters: [reporter] });
  results = readResults(join(dir, 'results.json'))!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('results.json scores each check of the manifest: a reached TODO is "not started"', () => {
  const [lab] = results.labs;
  expect(lab).toMatchObject({ id: '91', slug: '91-greeting', earned: 0, possible: 5, passed: 1, total: 3 });
  expect(lab?.checks.map(({ id, points, status, message, file }) => ({ id, points, status, message, file }))).toEqual([
    {
      id: '91.1.1', points: 2, status: 'not-started', file: 'test/91-greeting/greeting.check.ts',
      message: 'TODO(91.1) Greet the user by name: see labs/91-greeting/README.md, step 1 (src/greet.ts)',
    },
    { id: '91.1.2', points: 0, status: 'passed', file: 'test/91-greeting/greeting.check.ts', message: undefined },
    { id: '91.2.1', points: 3, status: 'failed', file: 'test/91-greeting/greeting.check.ts', message: 'expected +0 to be 3 // Object.is equality' },
  ]);
});

test('the table shows points, checks, and the next check with its TODO and first hint', () => {
  const table = plain(formatResults(results));
  expect(table).toContain('91  Greeting');
  expect(table).toMatch(/0\/5 points\s+1\/3 checks/);
  expect(table).toContain('next 91.1.1 the greeting names the user');
  expect(table).toContain('TODO(91.1) Greet the user by name: see labs/91-greeting/README.md, step 1 (src/greet.ts)');
  expect(table).toContain('hint: Use the name you are given.');
});

test('the home screen points at the next step: its guide section, its file, its hint, and the commands', () => {
  const screen = plain(homeScreen(labs, { ...results, target: 'labs' }));
  expect(screen).toContain('Next: lab 91, step 91.1 Greet the user by name');
  expect(screen).toContain('guide labs/91-greeting/README.md#step-1-greet-the-user-by-name');
  expect(screen).toContain('file  labs/91-greeting/src/greet.ts');
  expect(screen).toContain('npm run lab -- NN');
});

test('npm run lab names an unknown lab and lists the labs there are', () => {
  expect(findLab(labs, '91-greeting').id).toBe('91');
  expect(() => findLab(labs, '42')).toThrow('There is no lab "42". The labs are:\n  91  Greeting');
});
