// The mutant machinery on small inputs: an edit applies exactly once, a quote is looked up in its own
// section, an uncovered "must" is reported, and a check is found even when its opening spans lines.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defineLab } from '#shared/workbook/manifest.ts';
import { applyMutant, defineMutants, sectionText, unquotedRules, type Mutant } from '#shared/workbook/maintainer/mutants.ts';
import { checkFiles } from '#shared/workbook/check-files.ts';

const mutant = (find: string, replace: string): Mutant => ({
  id: 'example',
  title: 'an example',
  file: 'src/example.ts',
  find,
  replace,
  rule: { section: '#step-1', quote: 'never' },
  caughtBy: ['09.1.1'],
});

test('an edit applies where its text occurs once, and nowhere else', () => {
  expect(applyMutant('if (a === b) ok();', mutant('a === b', 'true'))).toBe('if (true) ok();');
  expect(() => applyMutant('a; a;', mutant('a;', 'b;')), 'twice').toThrow(/more than once/);
  expect(() => applyMutant('a;', mutant('c;', 'b;')), 'missing').toThrow(/nowhere/);
});

const GUIDE = `# Lab 09
## Goal
Tokens must stay on the server.
## Steps
### Step 1: Keep it
Never log a token, and always
answer 401.
### Step 2: Other
Nothing here.
`;

test('a section runs from its heading to the next heading of its level or higher', () => {
  expect(sectionText(GUIDE, '#step-1-keep-it')).toContain('always\nanswer 401.');
  expect(sectionText(GUIDE, '#step-1-keep-it')).not.toContain('Nothing here');
  expect(sectionText(GUIDE, '#steps')).toContain('Nothing here');
  expect(sectionText(GUIDE, '#no-such-step')).toBeUndefined();
});

test('every "must", "never" and "always" is covered by a quote, across line breaks', () => {
  const catalogue = defineMutants({
    lab: '09',
    mutants: [{ ...mutant('a', 'b'), rule: { section: '#step-1-keep-it', quote: 'Never log a token, and always answer 401.' } }],
    otherStatements: [],
  });
  expect(unquotedRules(GUIDE, catalogue)).toEqual([expect.stringContaining('Tokens must stay')]);
  catalogue.otherStatements.push({ quote: 'Tokens must stay on the server.', sameRuleAs: 'example' });
  expect(unquotedRules(GUIDE, catalogue)).toEqual([]);
});

test("a check's file is found when its opening spans lines, and a longer id is not mistaken for it", () => {
  const root = mkdtempSync(join(tmpdir(), 'mutants-'));
  mkdirSync(join(root, 'test', '09-example'), { recursive: true });
  writeFileSync(join(root, 'test', '09-example', 'a.test.ts'), "check(\n  '09.1.1',\n  async () => {});\n");
  writeFileSync(join(root, 'test', '09-example', 'b.test.ts'), "check('09.1.10', async () => {});\n");
  const lab = defineLab({
    id: '09',
    slug: '09-example',
    title: 'Example',
    summary: 'An example lab.',
    steps: [{ id: '09.1', title: 'Keep it', file: 'src/example.ts', readme: '#step-1-keep-it' }],
    checks: [
      { id: '09.1.1', step: '09.1', title: 'one', points: 1, hint: 'h' },
      { id: '09.1.10', step: '09.1', title: 'ten', points: 1, hint: 'h' },
    ],
  });
  expect(checkFiles(root, lab, ['09.1.1'])).toEqual(['test/09-example/a.test.ts']);
  expect(checkFiles(root, lab, ['09.1.10'])).toEqual(['test/09-example/b.test.ts']);
});
