import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formatReport, headingAnchors, verify, type VerifyReport } from '#shared/workbook/verify.ts';
import { copyFixture, FIXTURE_SUFFIX, type FixtureCopy } from './fixture.ts';

let fixture: FixtureCopy;
let report: VerifyReport;

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
}

beforeAll(async () => {
  fixture = copyFixture();
  addFlawedLab(fixture);
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
});

test('the report ends with the count of facts: 7 + 3 + 1 shared test passed, 4 failed', () => {
  expect(formatReport(report).at(-1)).toBe('11 passed, 4 failed');
  expect([report.passed, report.failed]).toEqual([11, 4]);
});

test('README anchors follow GitHub: lower case, punctuation dropped, spaces to hyphens', () => {
  const anchors = headingAnchors('# Lab 3\n## Step 2: Redeem the `code` (PKCE)\ntext\n### Going further');
  expect([...anchors]).toEqual(['lab-3', 'step-2-redeem-the-code-pkce', 'going-further']);
});
