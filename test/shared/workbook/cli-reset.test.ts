import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { confirmation, resetLab } from '#shared/workbook/learner/cli-reset.ts';
import { loadLab } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { pristineDir } from '#shared/workbook/starters.ts';
import { copyFixture, FIXTURE_ROOT, type FixtureCopy } from './fixture.ts';

let copy: FixtureCopy;
let lab: Lab;
const starter = (file: string) => readFileSync(join(FIXTURE_ROOT, 'labs', '91-greeting', file), 'utf8');

beforeAll(async () => {
  copy = copyFixture();
  lab = await loadLab(FIXTURE_ROOT, '91-greeting');
});
afterAll(() => {
  copy.remove();
  rmSync(pristineDir(copy.root), { recursive: true, force: true });
});

test("reset restores exactly the lab's starter files: not the guide, not your own files, not other labs", () => {
  const labDir = join(copy.root, 'labs', '91-greeting');
  copy.edit('labs/91-greeting/src/greet.ts', (text) => text.replace("throw todo('91.1');", 'return `Hi ${name}`;'));
  copy.edit('labs/91-greeting/README.md', (text) => `${text}\nMy notes.\n`);
  unlinkSync(join(labDir, 'src', 'words.ts'));
  writeFileSync(join(labDir, 'src', 'mine.ts'), 'export const mine = 1;\n');
  mkdirSync(join(copy.root, 'labs', '92-other', 'src'), { recursive: true });
  writeFileSync(join(copy.root, 'labs', '92-other', 'src', 'a.ts'), 'export const a = 1;\n');

  expect(resetLab(copy.root, lab)).toEqual({ restored: ['src/greet.ts', 'src/words.ts'], kept: ['src/mine.ts'] });
  expect(readFileSync(join(labDir, 'src', 'greet.ts'), 'utf8')).toBe(starter('src/greet.ts'));
  expect(readFileSync(join(labDir, 'src', 'words.ts'), 'utf8')).toBe(starter('src/words.ts'));
  expect(readFileSync(join(labDir, 'README.md'), 'utf8')).toContain('My notes.');
  expect(existsSync(join(labDir, 'src', 'mine.ts'))).toBe(true);
  expect(readFileSync(join(copy.root, 'labs', '92-other', 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');

  expect(resetLab(copy.root, lab).restored).toEqual([]); // a second reset has nothing left to do
});

test('reset asks a person at a terminal, and refuses a script that did not say --yes', () => {
  expect(confirmation(true, false)).toBe('go');
  expect(confirmation(true, true)).toBe('go');
  expect(confirmation(false, true)).toBe('ask');
  expect(confirmation(false, false)).toBe('refuse');
});
