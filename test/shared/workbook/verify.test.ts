import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateLab } from '#shared/workbook/starters.ts';
import { formatReport, headingAnchors, verify, type VerifyReport } from '#shared/workbook/maintainer/verify.ts';
import { copyFixture, FIXTURE_SUFFIX, type FixtureCopy } from './fixture.ts';

let fixture: FixtureCopy;
let report: VerifyReport;

/**
 * Lab 91's starter for step 2 answers 0 (a `#starter` placeholder), so check 91.2.1 fails on it with a
 * wrong answer, not the TODO, which verify refuses. Here the check first says "not started", as lab 03's
 * requireSteps does (the other fixture tests keep the plain check).
 */
function guardPlaceholder(copy: FixtureCopy): void {
  copy.edit('test/91-greeting/greeting.check.ts', (text) =>
    text
      .replace("import lab from './lab.ts';", "import { todo } from '#shared/workbook/todo.ts';\nimport lab from './lab.ts';")
      .replace(/(check\('91\.2\.1'[^\n]*\n[^\n]*\n)/, "$1  if (countWords('four') === 0) throw todo('91.2');\n"),
  );
}

/** Adds lab 92-flawed to the copy: lab 91 with every id renamed, then broken in each way verify catches. */
function addFlawedLab(copy: FixtureCopy): void {
  for (const area of ['test', 'solutions', 'labs']) {
    const to = join(copy.root, area, '92-flawed');
    cpSync(join(copy.root, area, '91-greeting'), to, { recursive: true });
    for (const file of readdirSync(to, { recursive: true }).map(String)) {
      const path = join(to, file);
      if (statSync(path).isFile()) writeFileSync(path, readFileSync(path, 'utf8').replaceAll('91-greeting', '92-flawed').replaceAll('91', '92'));
    }
  }
  // The learner's copy was edited: drift. A starter that already counts words: 92.2.1 passes on it.
  copy.edit('labs/92-flawed/src/greet.ts', (text) => text.replace("throw todo('92.1');", "return 'edited';"));
  copy.edit('solutions/92-flawed/src/words.ts', (text) => text.replace('// #starter return 0;', '// #starter return text.split(/\\s+/).filter(Boolean).length;'));
  // A broken solution; a README without step 2's section; a test that is not a check of the manifest.
  copy.edit('solutions/92-flawed/src/greet.ts', (text) => text.replace('Hello', 'Hi'));
  copy.edit('labs/92-flawed/README.md', (text) => text.replace('## Step 2: Count the words', '## Counting'));
  copy.edit('test/92-flawed/greeting.check.ts', (text) => `${text}\nimport { test } from 'vitest';\ntest('stray', () => {});\n`);
  // A solution that imports another lab's folder, which its manifest's buildsOn does not name.
  copy.edit('solutions/92-flawed/src/words.ts', (text) => `import { greet as _greet } from '../../91-greeting/src/greet.ts';\n${text}`);
}

/**
 * Adds lab 94-shout, which builds on lab 91: its shout() is lab 91's greet(), made loud (its one step).
 * Check 94.1.2 only proves lab 91's work, so it passes on lab 94's starter once lab 91 is solved: verify
 * must grade the starter on lab 91's solution to see that (on lab 91's starter, greet() throws).
 */
function addBuildingLab(copy: FixtureCopy): void {
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(copy.root, file)), { recursive: true });
    writeFileSync(join(copy.root, file), text);
  };
  const steps = [{ id: '94.1', title: 'Make it loud', file: 'src/shout.ts', readme: '#step-1-make-it-loud' }];
  write('test/94-shout/lab.ts', `import { defineLab } from '#shared/workbook/manifest.ts';
export default defineLab({
  id: '94', slug: '94-shout', title: 'Shout', summary: 'Builds on lab 91.', buildsOn: ['91'],
  steps: ${JSON.stringify(steps)},
  checks: [
    { id: '94.1.1', step: '94.1', title: 'a shout is loud', points: 1, hint: 'Upper case.' },
    { id: '94.1.2', step: '94.1', title: 'a shout greets the user', points: 1, hint: 'Use greet().' },
  ],
});
`);
  write('test/94-shout/shout.check.ts', `import { expect } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

const check = checksFor(lab);
const shout = async (name: string) => (await importTarget<{ shout(name: string): string }>(lab, 'src/shout.ts')).shout(name);
check('94.1.1', async () => expect(await shout('Ada')).toBe('HELLO, ADA!'));
check('94.1.2', async () => expect((await shout('Ada')).toLowerCase()).toBe('hello, ada!'));
`);
  write('solutions/94-shout/src/shout.ts', `import { greet } from '../../91-greeting/src/greet.ts';

export function shout(name: string): string {
  return loud(greet(name));
}

// TODO(94.1): Make it loud.
export function loud(text: string): string {
  // #region solution
  // #starter return text;
  return text.toUpperCase();
  // #endregion
}
`);
  write('labs/94-shout/README.md', '# Shout\n\n## Step 1: Make it loud\n');
  generateLab(copy.root, { slug: '94-shout', steps }, join(copy.root, 'labs'));
}

beforeAll(async () => {
  fixture = copyFixture();
  guardPlaceholder(fixture);
  addFlawedLab(fixture);
  addBuildingLab(fixture);
  report = await verify({
    root: fixture.root,
    testSuffix: FIXTURE_SUFFIX,
    typecheck: false,
    pristine: join(fixture.root, '.workbook', 'pristine'), // removed with the copy
  });
});
afterAll(() => fixture.remove());

const failures = (lab: string) => report.facts.filter((fact) => fact.lab === lab && !fact.ok).map((fact) => `${fact.kind} ${fact.subject}`);

test('a sound lab: its solution passes, its gradable checks fail on the starter, labs/ matches', () => {
  expect(failures('91-greeting')).toEqual([]);
  // manifest + drift + 3 solution checks + 2 gradable starter checks
  expect(report.facts.filter((fact) => fact.lab === '91-greeting')).toHaveLength(7);
});

test('each kind of flaw is a failed fact that says what to do', () => {
  expect(failures('92-flawed')).toEqual([
    'manifest manifest',
    'drift starters',
    'solution 92.1.1 the greeting names the user',
    'starter 92.2.1 words are counted',
  ]);
  const details = report.facts.map((fact) => fact.detail ?? '').join('\n');
  expect(details).toContain('labs/92-flawed/README.md has no section #step-2-count-the-words');
  expect(details).toContain('test/92-flawed/greeting.check.ts: "stray" is not a check');
  expect(details).toContain('labs/92-flawed/src/greet.ts:8 differs from the generated starter');
  expect(details).toContain('use `npm test`');
  expect(details).toContain('passes on the untouched starter');
  expect(details).toContain("solutions/92-flawed/src/words.ts imports lab 91's folder: add '91' to buildsOn in test/92-flawed/lab.ts");
});

test("a lab that builds on another: its starter is graded on the other lab's solution, so a check of the other lab's work is found out", () => {
  expect(failures('94-shout')).toContain('starter 94.1.2 a shout greets the user');
  expect(report.facts.filter((fact) => fact.lab === '94-shout' && fact.ok).map((fact) => `${fact.kind} ${fact.subject}`)).toEqual([
    'manifest manifest',
    'drift starters',
    'solution 94.1.1 a shout is loud',
    'solution 94.1.2 a shout greets the user',
  ]);
});

test("a check that fails on the untouched starter with anything but its step's TODO text is a failed fact (94.1.1: its starter's placeholder gives a wrong answer, not the TODO)", () => {
  expect(failures('94-shout')).toContain('starter 94.1.1 a shout is loud');
  const detail = report.facts.find((fact) => fact.subject === '94.1.1 a shout is loud' && fact.kind === 'starter')?.detail;
  expect(detail, 'the fact quotes the failure and asks for the TODO').toMatch(/fails on the untouched starter with ".*" instead of its step's TODO text/);
});

test('the report ends with the count of facts: 7 + 3 + 4 + 1 shared test passed, 6 failed', () => {
  expect(formatReport(report).at(-1)).toBe('15 passed, 6 failed');
  expect([report.passed, report.failed]).toEqual([15, 6]);
});

test('README anchors follow GitHub: lower case, punctuation dropped, spaces to hyphens', () => {
  const anchors = headingAnchors('# Lab 3\n## Step 2: Redeem the `code` (PKCE)\ntext\n### Going further');
  expect([...anchors]).toEqual(['lab-3', 'step-2-redeem-the-code-pkce', 'going-further']);
});
