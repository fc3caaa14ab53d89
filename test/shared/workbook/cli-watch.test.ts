import { beforeAll, expect, test } from 'vitest';
import { keyAction } from '#shared/workbook/learner/cli-watch.ts';
import { formatLabLine, formatStep, formatWatch } from '#shared/workbook/learner/watch-screen.ts';
import { loadLab } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { emptyProgress } from '#shared/workbook/learner/progress.ts';
import { failureMessage } from '#shared/workbook/outcomes.ts';
import { FIXTURE_ROOT, greetingResult, plain } from './fixture.ts';
import { authInfoFailure } from './failure-fixture.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await loadLab(FIXTURE_ROOT, '91-greeting');
});

const result = (failing: boolean) => greetingResult(lab, failing);

test('watch shows the first failing check with its message and hints, or a pass', () => {
  const failing = plain(formatWatch(lab, result(true), emptyProgress(), [lab]));
  expect(failing).toContain('lab 91 Greeting · 2/3 checks');
  expect(failing).toContain('✗ 91.1.1 the greeting names the user\n    expected "Hi Ada" to be "Hello, Ada!"\n    second line');
  expect(failing).toContain('step 91.1 Greet the user by name: labs/91-greeting/src/greet.ts');
  expect(failing).toContain('hint 1/2: Use the name you are given.');
  expect(failing).toContain('r re-run · h next hint · q quit');

  const passing = plain(formatWatch(lab, result(false), emptyProgress(), [lab]));
  expect(passing).toContain('✓ Lab 91 passes: all 3 checks.\n  See the reference: npm start -- solution 91');
  expect(passing).not.toContain('hint 1/2');
});

test("a saved step's verdict counts the checks its files hold, and the lab's line follows once the rest has run", () => {
  const ofStep1 = (failing: boolean) => {
    const checks = result(failing).checks.filter((check) => check.step === '91.1');
    return { ...result(failing), checks, passed: checks.filter((check) => check.status === 'passed').length, total: checks.length };
  };
  const failing = plain(formatStep(lab, [lab.steps[0]!], ofStep1(true), emptyProgress(), [lab]));
  expect(failing).toContain('lab 91 Greeting · step 91.1 · 1/2 checks');
  expect(failing).toContain('✗ 91.1.1 the greeting names the user\n    expected "Hi Ada" to be "Hello, Ada!"');
  expect(failing).toContain('hint 1/2: Use the name you are given.');
  expect(failing, 'the keys come with the lab line, once the run is over').not.toContain('q quit');

  expect(plain(formatStep(lab, [lab.steps[0]!], ofStep1(false), emptyProgress(), [lab]))).toContain('✓ Step 91.1 passes: all 2 checks.');
  const labLine = plain(formatLabLine(lab, result(true)));
  expect(labLine).toContain('lab 91 Greeting · 2/3 checks');
  expect(labLine).toContain('r re-run · h next hint · q quit');
});

test("a check stopped by an earlier lab's TODO points at that lab's step and file", () => {
  const later = { ...lab, id: '95', slug: '95-later', title: 'Later', buildsOn: ['91'] } as Lab;
  const stopped = { ...result(true), id: '95', slug: '95-later', title: 'Later' };
  stopped.checks = stopped.checks.map((check) =>
    check.id === '91.1.1' ? { ...check, status: 'not-started' as const, message: 'Lab 95 runs on lab 91, which is not finished: TODO(91.1) Greet the user by name: see labs/91-greeting/README.md, step 1 (src/greet.ts)' } : check,
  );
  const screen = plain(formatWatch(later, stopped, emptyProgress(), [lab, later]));
  expect(screen).toContain('○ 91.1.1 the greeting names the user\n    Lab 95 runs on lab 91, which is not finished: TODO(91.1)');
  expect(screen).toContain('step 91.1 Greet the user by name: labs/91-greeting/src/greet.ts');
});

test("watch shows a failed assertion's label and the fields that differ, not only vitest's first line", () => {
  const message = failureMessage(authInfoFailure, '/repo');
  const failed = { ...result(true), checks: result(true).checks.map((check) => (check.id === '91.1.1' ? { ...check, message } : check)) };
  const screen = plain(formatWatch(lab, failed, emptyProgress(), [lab]));
  expect(screen, 'the label and first line').toContain('✗ 91.1.1 the greeting names the user\n    the session token expires in seconds, as the SDK reads expiresAt: expected');
  expect(screen, 'the wrong field, expected then received').toContain('      -   "expiresAt": 1700000000,\n      +   "expiresAt": 1700000000000,');
  expect(screen, 'an unchanged field stays out').not.toContain('"token": "abc"');
});

test('watch keys: r re-runs, h shows a hint, q and Ctrl-C quit, anything else is ignored', () => {
  expect(['r', 'h', 'q', '\u0003', 'x', '\n'].map(keyAction)).toEqual(['rerun', 'hint', 'quit', 'quit', undefined, undefined]);
});
