// Which step a save is about (learner/watch-focus.ts): watch mode checks that step's files first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defineLab } from '#shared/workbook/manifest.ts';
import { focusOf, stepsEdited, todosAround } from '#shared/workbook/learner/watch-focus.ts';

// Two steps share a.ts, as lab 03's steps 1 to 3 share auth-provider.ts.
const lab = defineLab({
  id: '09',
  slug: '09-example',
  title: 'Example',
  summary: 'An example lab.',
  steps: [
    { id: '09.1', title: 'Start', file: 'src/a.ts', readme: '#step-1-start' },
    { id: '09.2', title: 'Go on', file: 'src/a.ts', readme: '#step-2-go-on' },
    { id: '09.3', title: 'Finish', file: 'src/b.ts', readme: '#step-3-finish' },
  ],
  checks: [
    { id: '09.1.1', step: '09.1', title: 'one', points: 1, hint: 'h' },
    { id: '09.2.1', step: '09.2', title: 'two', points: 1, hint: 'h' },
    { id: '09.3.1', step: '09.3', title: 'three', points: 1, hint: 'h' },
  ],
});

const A = ["import { todo } from '#shared/workbook/todo.ts';", '', '// TODO(09.1): Start.', 'export const start = () => 1;', '', '// TODO(09.2): Go on.', 'export function goOn() {', "  throw todo('09.2');", '}', ''].join('\n');
const before = new Map([['src/a.ts', A], ['src/b.ts', 'export const finish = () => 3;\n'], ['README.md', '# Example\n']]);
const ids = (steps: { id: string }[]) => steps.map((step) => step.id);
const saved = (file: string, text: string) => new Map(before).set(file, text);

test('an edit belongs to the step whose TODO it is under, or to every step of its file when no TODO is', () => {
  expect(todosAround(A, A.replace("throw todo('09.2');", 'return 2;'))).toEqual(['09.2']);
  expect(todosAround(A, A.replace('=> 1', '=> 2'))).toEqual(['09.1']);
  // From step 1's line down into step 2's: both.
  expect(todosAround(A, A.replace('=> 1;\n\n// TODO(09.2): Go on.', '=> 2;\n\n// TODO(09.2): Go on!'))).toEqual(['09.1', '09.2']);
  expect(todosAround(A, A.replace("import { todo }", 'import { todo, type Todo }'))).toEqual([]);

  expect(ids(stepsEdited(lab, before, saved('src/a.ts', A.replace("throw todo('09.2');", 'return 2;'))))).toEqual(['09.2']);
  expect(ids(stepsEdited(lab, before, saved('src/a.ts', `// a comment\n${A}`)))).toEqual(['09.1', '09.2']);
  expect(ids(stepsEdited(lab, before, saved('src/b.ts', 'export const finish = () => 4;\n')))).toEqual(['09.3']);
  expect(ids(stepsEdited(lab, before, saved('README.md', '# Notes\n')))).toEqual([]);
  expect(ids(stepsEdited(lab, before, before)), 'nothing changed: r re-runs the whole lab').toEqual([]);
});

test("a step's focus is the check files that hold its checks, and nothing when it has none", () => {
  const root = mkdtempSync(join(tmpdir(), 'watch-focus-'));
  mkdirSync(join(root, 'test', '09-example'), { recursive: true });
  writeFileSync(join(root, 'test', '09-example', 'one.test.ts'), "check('09.1.1', async () => {});\n");
  writeFileSync(join(root, 'test', '09-example', 'two.test.ts'), "check('09.2.1', async () => {});\ncheck('09.3.1', async () => {});\n");
  expect(focusOf(lab, [lab.steps[1]!], root)).toEqual({ steps: [lab.steps[1]], files: ['test/09-example/two.test.ts'] });
  expect(focusOf(lab, lab.steps.slice(0, 2), root)?.files).toEqual(['test/09-example/one.test.ts', 'test/09-example/two.test.ts']);
  expect(focusOf(lab, [], root)).toBeUndefined();
  rmSync(root, { recursive: true, force: true });
});
