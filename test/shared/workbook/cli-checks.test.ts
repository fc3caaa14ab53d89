// Which labs the home screen runs: none on a fresh clone (every lab is its starter), none while nothing
// changed, and after a change only the labs that changed and those that build on them. On a copy of the
// fixture workbook with a second lab, 92-farewell, that builds on 91-greeting as lab 04 builds on lab 03.
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { announcement, estimateSeconds } from '#shared/workbook/learner/check-progress.ts';
import { homeScreen } from '#shared/workbook/learner/cli.ts';
import { planChecks, resultsOf, runChecks, type Workbook } from '#shared/workbook/learner/cli-checks.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import WorkbookReporter from '#shared/workbook/reporter.ts';
import { mergeResults, readResults, type LabResult, type WorkbookResults } from '#shared/workbook/results.ts';
import { runCheckProjects } from '#shared/workbook/run-checks.ts';
import { generateLab } from '#shared/workbook/starters.ts';
import { copyFixture, FIXTURE_SUFFIX, plain, type FixtureCopy } from './fixture.ts';

const FAREWELL_MANIFEST = `import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '92',
  slug: '92-farewell',
  title: 'Farewell',
  summary: 'Builds on the greeting, as lab 04 builds on lab 03.',
  buildsOn: ['91'],
  steps: [{ id: '92.1', title: 'Say goodbye', file: 'src/farewell.ts', readme: '#step-1-say-goodbye' }],
  checks: [{ id: '92.1.1', step: '92.1', title: 'the farewell greets first', points: 1, hint: 'Greet, then say goodbye.' }],
});
`;
const FAREWELL_CHECK = `import { expect } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

const check = checksFor(lab);

check('92.1.1', async () => {
  const { farewell } = await importTarget<{ farewell(name: string): string }>(lab, 'src/farewell.ts');
  for (const name of ['Adele', 'Megan']) expect(farewell(name)).toBe(\`Hello, \${name}! Goodbye.\`);
});
`;
const FAREWELL_SOLUTION = `import { greet } from '../../91-greeting/src/greet.ts';

// TODO(92.1): Greet, then say goodbye.
export function farewell(name: string): string {
  // #region solution
  return \`\${greet(name)} Goodbye.\`;
  // #endregion
}
`;

let copy: FixtureCopy;
let workbook: Workbook;
let labs: Lab[];
const slugs = (list: Lab[]) => list.map((lab) => lab.slug);
const write = (file: string, text: string) => {
  mkdirSync(join(copy.root, file, '..'), { recursive: true });
  writeFileSync(join(copy.root, file), text);
};
const solve = (file: string) => write(`labs/${file}`, readFileSync(join(copy.root, 'solutions', file), 'utf8'));
const recorded = (slug: string): LabResult | undefined => readResults(workbook.resultsFile)?.labs.find((lab) => lab.slug === slug);

/** What `npm test` does: every lab's checks, with the reporter writing results.json. */
async function npmTest(): Promise<void> {
  const reporter = new WorkbookReporter({ root: copy.root, target: workbook.target, outputFile: workbook.resultsFile, print: false });
  const project = { name: 'labs', include: [`test/*/**/*${FIXTURE_SUFFIX}`], target: workbook.target };
  await runCheckProjects(copy.root, [project], { reporters: [reporter] });
}

beforeAll(async () => {
  copy = copyFixture();
  write('test/92-farewell/lab.ts', FAREWELL_MANIFEST);
  write(`test/92-farewell/farewell${FIXTURE_SUFFIX}`, FAREWELL_CHECK);
  write('solutions/92-farewell/src/farewell.ts', FAREWELL_SOLUTION);
  labs = await discoverLabs(copy.root);
  generateLab(copy.root, labs[1]!, join(copy.root, 'labs'));
  workbook = {
    root: copy.root,
    target: join(copy.root, 'labs'),
    resultsFile: join(copy.root, 'results', 'results.json'),
    checkSuffix: FIXTURE_SUFFIX,
    startersCache: join(copy.root, 'cache', 'starters.json'),
  };
});
afterAll(() => copy.remove());
afterEach(() => vi.restoreAllMocks());

describe('on a fresh clone', () => {
  test('no check runs: every lab is its untouched starter, so every check is "not started"', () => {
    const plan = planChecks(labs, workbook);
    expect(slugs(plan.toRun)).toEqual([]);
    expect(slugs(plan.untouched)).toEqual(['91-greeting', '92-farewell']);
    expect(plan.known.get('92-farewell')?.checks.map(({ status, message }) => ({ status, message }))).toEqual([
      { status: 'not-started', message: 'TODO(92.1) Say goodbye: see labs/92-farewell/README.md, step 1 (src/farewell.ts)' },
    ]);
    expect(readResults(workbook.resultsFile), 'nothing ran, so there are no results to write').toBeUndefined();
  });

  test('the home screen shows the first check of the first lab, and says nothing was run because nothing is started', () => {
    const plan = planChecks(labs, workbook);
    const screen = plain(homeScreen(labs, resultsOf(labs, plan, [], workbook.target), plan.untouched));
    expect(screen).toMatch(/91 {2}Greeting .* 0\/5 points +0\/3 checks/);
    expect(screen).toContain('Nothing run yet: no lab is started.');
    expect(screen).toContain('Next: lab 91, step 91.1 Greet the user by name');
    expect(screen).toContain('guide labs/91-greeting/README.md#step-1-greet-the-user-by-name');
    expect(screen).toMatch(/file {2}\.workbook\/fixtures\/workbook-\w+\/labs\/91-greeting\/src\/greet\.ts/);
    expect(screen).toContain('next 91.1.1 the greeting names the user');
    expect(screen).toContain('TODO(91.1) Greet the user by name: see labs/91-greeting/README.md, step 1 (src/greet.ts)');
    expect(screen).toContain('hint: Use the name you are given.');
  });

  test('the starters are hashed once, then taken from the cache until what they are generated from changes', () => {
    const cache = JSON.parse(readFileSync(workbook.startersCache!, 'utf8')) as Record<string, { source: string; starters: string }>;
    writeFileSync(workbook.startersCache!, JSON.stringify({ ...cache, '91-greeting': { ...cache['91-greeting'], starters: 'not the starters' } }));
    expect(slugs(planChecks(labs, workbook).untouched), 'the cached hash is trusted, not generated again').toEqual(['92-farewell']);
    // A change inside a solution region leaves the starter as it was, but it is a new source: generated again.
    copy.edit('solutions/91-greeting/src/greet.ts', (text) => text.replace('  // #endregion', '  // the reference answer\n  // #endregion'));
    expect(slugs(planChecks(labs, workbook).untouched)).toEqual(['91-greeting', '92-farewell']);
  });
});

describe('once labs are started', () => {
  let before: WorkbookResults;

  test("results from npm test are reused: with nothing changed, nothing runs, not even after a file's mtime moves", async () => {
    solve('91-greeting/src/greet.ts');
    solve('92-farewell/src/farewell.ts');
    expect(slugs(planChecks(labs, workbook).toRun)).toEqual(['91-greeting', '92-farewell']);
    await npmTest();
    before = readResults(workbook.resultsFile)!;
    expect(before.labs.map(({ slug, passed, total }) => ({ slug, passed, total }))).toEqual([
      { slug: '91-greeting', passed: 2, total: 3 },
      { slug: '92-farewell', passed: 1, total: 1 },
    ]);
    const plan = planChecks(labs, workbook);
    expect(slugs(plan.toRun)).toEqual([]);
    expect(plan.known.get('91-greeting')).toEqual(before.labs[0]);
    const now = new Date();
    utimesSync(join(copy.root, 'labs', '91-greeting', 'src', 'greet.ts'), now, now);
    mkdirSync(join(copy.root, 'labs', '91-greeting', 'node_modules'), { recursive: true });
    writeFileSync(join(copy.root, 'labs', '91-greeting', 'node_modules', 'x.js'), 'installed, not graded\n');
    expect(slugs(planChecks(labs, workbook).toRun)).toEqual([]);
  });

  test('a change to a lab re-runs that lab and the labs that build on it; a change to the later lab, that lab alone', () => {
    copy.edit('labs/91-greeting/src/words.ts', (text) => text.replace('return 0;', 'return text.split(/\\s+/).length;'));
    const plan = planChecks(labs, workbook);
    expect(slugs(plan.toRun)).toEqual(['91-greeting', '92-farewell']);
    expect(slugs(plan.changed)).toEqual(['91-greeting', '92-farewell']);
    copy.edit('labs/91-greeting/src/words.ts', (text) => text.replace('return text.split(/\\s+/).length;', 'return 0;'));
    expect(slugs(planChecks(labs, workbook).toRun), 'back as it was: the recorded results hold again').toEqual([]);

    copy.edit('labs/92-farewell/src/farewell.ts', (text) => text.replace(' Goodbye.', ' Goodbye!'));
    expect(slugs(planChecks(labs, workbook).toRun)).toEqual(['92-farewell']);
  });

  test('only the changed labs run, saying which and why first, then each with its result; the others stay as recorded', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(plain([line])));
    const plan = planChecks(labs, workbook);
    const run = await runChecks(plan.toRun, plan, workbook);
    expect(lines[0]).toMatch(/^Checking lab 92: changed since the last run\. About \d+ s\.$/);
    expect(lines).toContain('  ○ 92 Farewell: 0/1 checks pass');
    expect(lines.some((line) => line.includes('91 Greeting')), 'lab 91 did not run').toBe(false);
    expect(run.labs.map((lab) => lab.slug)).toEqual(['92-farewell']);
    expect(recorded('91-greeting'), 'merged into results.json, lab 91 untouched').toEqual(before.labs[0]);
    expect(recorded('92-farewell')).toMatchObject({ passed: 0, total: 1 });
    expect(slugs(planChecks(labs, workbook).toRun)).toEqual([]);
  });

  test('a lab put back to its starter needs no run: it is "not started" again', () => {
    rmSync(join(copy.root, 'labs', '91-greeting', 'node_modules'), { recursive: true });
    for (const lab of labs) generateLab(copy.root, lab, join(copy.root, 'labs'));
    const plan = planChecks(labs, workbook);
    expect(slugs(plan.toRun)).toEqual([]);
    expect(plan.known.get('91-greeting')).toMatchObject({ passed: 0, total: 3 });
    // What a run of the starter reports for the first check (reporter.test.ts), without running it.
    expect(plan.known.get('91-greeting')?.checks[0]).toMatchObject({
      id: '91.1.1', status: 'not-started', message: 'TODO(91.1) Greet the user by name: see labs/91-greeting/README.md, step 1 (src/greet.ts)',
    });
  });
});

describe('what the learner is told', () => {
  const [greeting, farewell] = [{ id: '91', slug: '91-greeting', checks: [{}, {}] }, { id: '92', slug: '92-farewell', checks: [{}] }] as Lab[];

  test('which labs run and why', () => {
    expect(announcement([greeting!, farewell!], { changed: [greeting!], unchecked: [farewell!] }, 9)).toBe(
      'Checking labs 91 and 92: 91 changed since the last run, 92 not checked yet. About 9 s.',
    );
    expect(announcement([farewell!], { changed: [], unchecked: [farewell!] }, 3)).toBe('Checking lab 92: not checked yet. About 3 s.');
    expect(announcement([greeting!, farewell!], 'recheck', 5)).toBe('Re-checking labs 91 and 92, now that every lab has passed once. About 5 s.');
  });

  test('the estimate uses how long each lab took last time', () => {
    const last = { labs: [{ slug: '91-greeting', seconds: 10 }] } as WorkbookResults;
    expect(estimateSeconds([greeting!], last)).toBe(7); // starting vitest, then two workers share 10 s
    expect(estimateSeconds([greeting!], undefined)).toBe(2); // never run: a little per check
  });

  test('a run of some labs replaces their results and keeps the others; a run of another target replaces the file', () => {
    const result = (slug: string, passed: number) => ({ slug, passed }) as LabResult;
    const file: WorkbookResults = { version: 1, target: 'labs', finishedAt: 'then', labs: [result('91-greeting', 1), result('92-farewell', 0)], other: { passed: 0, failed: 0, skipped: 0 } };
    const run = { ...file, finishedAt: 'now', labs: [result('92-farewell', 1)] };
    expect(mergeResults(file, run)).toEqual({ ...run, labs: [result('91-greeting', 1), result('92-farewell', 1)] });
    expect(mergeResults({ ...file, target: 'solutions' }, run)).toEqual(run);
  });
});
