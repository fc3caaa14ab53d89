// A check not checked here (skipped: no browser on this machine, say) means one thing on every surface:
// neither passed nor failed, its points neither earned nor lost, and its reason said. The fixture lab
// 91 with 91.1.1 and 91.1.2 passed and 91.2.1 (3 points) not checked, as each surface shows it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SubmissionGrade } from '#shared/workbook/grading/grade-batch.ts';
import { gradebookCsv } from '#shared/workbook/grading/grade-csv.ts';
import { formatGradebook } from '#shared/workbook/grading/grade-table.ts';
import { classroomVerdict } from '#shared/workbook/grading/classroom-check.ts';
import { formatNoHint } from '#shared/workbook/learner/cli-hint.ts';
import { homeScreen } from '#shared/workbook/learner/cli.ts';
import { notCheckedNotice, solutionLock } from '#shared/workbook/learner/cli-solution.ts';
import { emptyProgress, recordCompleted } from '#shared/workbook/learner/progress.ts';
import { formatStep, formatWatch } from '#shared/workbook/learner/watch-screen.ts';
import { loadLab } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { labDone, labResult, labStanding, notCheckedHere, score, type CheckOutcome, type LabResult, type WorkbookResults } from '#shared/workbook/results.ts';
import { formatResults } from '#shared/workbook/summary.ts';
import WorkbookReporter from '#shared/workbook/reporter.ts';
import { runCheckProjects } from '#shared/workbook/run-checks.ts';
import { addChecks, copyFixture, FIXTURE_ROOT, FIXTURE_SUFFIX, plain, type FixtureCopy } from './fixture.ts';

const NO_BROWSER = 'no Chrome, Chromium or Edge found: install one, or set WORKBOOK_BROWSER to its path';
const passed: CheckOutcome = { status: 'passed' };
const notChecked: CheckOutcome = { status: 'skipped', message: NO_BROWSER };

let lab: Lab;
/** 91.1.1 (2 points) and 91.1.2 (not gradable) passed; 91.2.1 (3 points) not checked here. */
let result: LabResult;
beforeAll(async () => {
  lab = await loadLab(FIXTURE_ROOT, '91-greeting');
  result = outcomes({ '91.1.1': passed, '91.1.2': passed, '91.2.1': notChecked });
});

const outcomes = (byId: Record<string, CheckOutcome>) => labResult(lab, new Map(Object.entries(byId)));
const run = (labs: LabResult[]): WorkbookResults => ({ version: 1, target: 'labs', finishedAt: 'now', labs, other: { passed: 0, failed: 0, skipped: 0 } });

describe('results: what a check not checked here counts for', () => {
  test('its points are neither earned nor lost: the score is of the checks that were checked', () => {
    expect(result).toMatchObject({ earned: 2, possible: 2, passed: 2, total: 2 });
    expect(notCheckedHere(result).map((check) => [check.id, check.message])).toEqual([['91.2.1', NO_BROWSER]]);
    expect(score(result.checks)).toEqual({ earned: 2, possible: 2, passed: 2, total: 2 });
  });

  test('a lab passes every check that ran, none ran, or has work to do; only the first two are done', () => {
    expect(labStanding(outcomes({ '91.1.1': passed, '91.1.2': passed, '91.2.1': passed }))).toBe('passed');
    expect(labStanding(result)).toBe('passed-what-ran');
    expect(labDone(result)).toBe(true);
    const noneRan = outcomes({ '91.1.1': notChecked, '91.1.2': notChecked, '91.2.1': notChecked });
    expect([labStanding(noneRan), labDone(noneRan)]).toEqual(['none-ran', false]);
    const failing = outcomes({ '91.1.1': { status: 'failed', message: 'no' }, '91.1.2': passed, '91.2.1': notChecked });
    expect([labStanding(failing), labDone(failing)]).toEqual(['to-do', false]);
  });
});

// A file whose setup fails has its tests skipped by vitest, with no reason: the learner's code can cause
// that, so those checks failed; only a check that skipped with its reason is not checked here.
const SKIPS = `import { beforeAll, describe } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import lab from './lab.ts';

const check = checksFor(lab);
check('91.2.2', (context) => context.skip('needs a browser'));
describe('a server that does not start', () => {
  beforeAll(() => {
    throw new Error('the server exited before it listened');
  });
  check('91.2.3', () => {});
});
`;

describe('a run: only a skip with a reason is not checked here', () => {
  let copy: FixtureCopy;
  beforeAll(() => void (copy = copyFixture()));
  afterAll(() => copy.remove());

  test('a check skipped with its reason is not checked here; one whose setup failed failed, with the setup\'s error', async () => {
    addChecks(copy, [{ id: '91.2.2', title: 'skips with its reason' }, { id: '91.2.3', title: 'its setup fails' }]);
    writeFileSync(join(copy.root, 'test', '91-greeting', `skips${FIXTURE_SUFFIX}`), SKIPS);
    const target = join(copy.root, 'solutions');
    const reporter = new WorkbookReporter({ root: copy.root, target, outputFile: false, print: false });
    await runCheckProjects(copy.root, [{ name: 'labs', include: [`test/91-greeting/skips${FIXTURE_SUFFIX}`], target }], { reporters: [reporter] });
    const checks = reporter.results!.labs[0]!.checks;
    const outcome = (id: string) => checks.find((check) => check.id === id);
    expect(outcome('91.2.2')).toMatchObject({ status: 'skipped', message: 'needs a browser' });
    expect(outcome('91.2.3')).toMatchObject({ status: 'failed', message: 'the server exited before it listened' });
  });
});

describe('the learner: never "all pass" while a check was not checked here, and always why', () => {
  test("npm test's table: the lab's row, the check and its reason, and the total", () => {
    const other = { ...outcomes({ '91.1.1': passed, '91.1.2': passed, '91.2.1': passed }), id: '92', slug: '92-other', title: 'Other' };
    const table = plain(formatResults(run([result, other])));
    expect(table).toMatch(/◐ 91 {2}Greeting .* 2\/2 points +2\/2 checks · 1 not checked here\n/);
    expect(table).toContain(`not checked here 91.2.1 words are counted (3 points)\n           ${NO_BROWSER}`);
    expect(table).toMatch(/✓ 92 {2}Other/);
    expect(table).toContain('Total 7/7 points · 1 check (3 points) not checked here');
  });

  test('the home screen: the points, the check and why, and no "Every check passes"', () => {
    const screen = plain(homeScreen([lab], run([result])));
    expect(screen).toContain('Points 2/2 points · 1 check (3 points) not checked here');
    expect(screen).toContain(`not checked here 91.2.1 words are counted (3 points)\n       ${NO_BROWSER}`);
    expect(screen).toContain('Every check that ran passes. The others were not checked here: why is above.');
    expect(screen).not.toContain('Every check passes');
  });

  test("watch: the lab's line counts it apart, and the verdict names it instead of saying all pass", () => {
    const screen = plain(formatWatch(lab, result, emptyProgress(), [lab]));
    expect(screen).toContain('lab 91 Greeting · 2/2 checks · 1 not checked here');
    expect(screen).toContain(`◐ Lab 91 passes every check that ran: 2 of 3.\n  not checked here 91.2.1 words are counted (3 points)\n       ${NO_BROWSER}`);
    expect(screen).toContain('See the reference: npm start -- solution 91');
    expect(screen).not.toMatch(/all \d+ checks/);

    const step = { ...result, checks: result.checks.filter((check) => check.step === '91.2') };
    const stepScreen = plain(formatStep(lab, [lab.steps[1]!], { ...step, ...score(step.checks) }, emptyProgress(), [lab]));
    expect(stepScreen).toContain('step 91.2 · 0/0 checks · 1 not checked here');
    expect(stepScreen).toContain(`○ Step 91.2: no check ran here.\n  not checked here 91.2.1 words are counted (3 points)\n       ${NO_BROWSER}`);
  });

  test('hint: nothing to hint at, and which check was not checked here, and why', () => {
    const said = plain(formatNoHint(lab, result));
    expect(said).toContain('◐ Lab 91 passes every check that ran: 2 of 3.');
    expect(said).toContain(NO_BROWSER);
    expect(said).toContain('Compare with the reference: npm start -- solution 91');
    expect(said).not.toContain('Every check');
    const noneRan = plain(formatNoHint(lab, outcomes({ '91.1.1': notChecked, '91.1.2': notChecked, '91.2.1': notChecked })));
    expect(noneRan).toContain('Lab 91: no check ran here.');
    expect(noneRan, 'no solution to compare with: nothing was proven').not.toContain('solution');
  });

  test('solution: open when every check that ran passed, saying which were not checked here; locked when none ran', () => {
    expect(solutionLock(lab, result, emptyProgress(), false)).toBeUndefined();
    expect(plain(notCheckedNotice(lab, result))).toContain(`Every check of lab 91 that ran passed. Not checked here, so not proven on this machine:\n  not checked here 91.2.1`);
    const noneRan = outcomes({ '91.1.1': notChecked, '91.1.2': notChecked, '91.2.1': notChecked });
    expect(solutionLock(lab, noneRan, emptyProgress(), false)).toContain('(none of its checks ran here)');
    expect(notCheckedNotice(lab, outcomes({ '91.1.1': passed, '91.1.2': passed, '91.2.1': passed })), 'nothing to say when everything was checked').toEqual([]);
  });

  test('progress: the lab counts as completed, as the solution lock and the final re-check read it', () => {
    expect(recordCompleted(emptyProgress(), [result], new Date('2026-01-01T00:00:00Z')).completed).toEqual({ '91': '2026-01-01T00:00:00.000Z' });
  });
});

describe('the instructor: not 0, not full, and a re-grade where it can run', () => {
  test('the batch grader: left out of possible, marked "not checked" in the CSV, and flagged for a re-grade with why', () => {
    const grade: SubmissionGrade = { name: 'ada', earned: result.earned, possible: result.possible, labs: [result], seconds: 10, tampering: [], notes: [] };
    const [header, row] = gradebookCsv([lab], [grade]).trim().split('\r\n').map(csvFields);
    const cell = (name: string) => row![header!.indexOf(name)];
    expect([cell('earned'), cell('possible'), cell('percent'), cell('91.1.1'), cell('91.2.1')]).toEqual(['2', '2', '100', '2', 'not checked']);
    expect(cell('re-grade')).toBe(`91.2.1 not checked (3 points): ${NO_BROWSER}`);

    const table = plain(formatGradebook([grade]));
    expect(table).toMatch(/ada +2\/2 +100\.0 .* re-grade: 1 check \(3 points\) not checked here/);
    expect(table).toContain('Not checked on this machine, so left out of the points of 1 submission:');
    expect(table).toContain(NO_BROWSER);
    expect(table).toContain('then grade those submissions again');
  });

  test("Classroom: the check's step fails, with the reason in its log (a step earns its points or none)", () => {
    expect(classroomVerdict(run([result]), '91.2.1')).toEqual({ passed: false, line: `91.2.1 words are counted (3 points): not checked here: ${NO_BROWSER}` });
    expect(classroomVerdict(run([result]), '91.1.1').passed).toBe(true);
  });
});

/** The fields of one CSV line (RFC 4180: a quoted field may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, field]) => (field!.startsWith('"') ? field!.slice(1, -1).replaceAll('""', '"') : field!));
}
