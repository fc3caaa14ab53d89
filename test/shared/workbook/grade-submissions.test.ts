// Finding submissions in a folder (either layout) and staging their lab folders, and nothing else.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { submissionGrade } from '#shared/workbook/grading/grade-batch.ts';
import { findSubmissions, safeName, stageSubmission } from '#shared/workbook/grading/grade-submissions.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { labResult } from '#shared/workbook/results.ts';
import { listFiles } from '#shared/workbook/starters.ts';

const LABS = ['01-registration', '02-public-client', '03-confidential-client'];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grade-submissions-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text = 'x\n'): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

test('each subfolder is a submission: <sub>/labs/NN-slug/ or <sub>/NN-slug/; other folders are not labs', () => {
  write('alice/labs/01-registration/src/main.ts');
  write('alice/labs/03-confidential-client/src/main.ts');
  write('alice/test/01-registration/lab.ts');
  write('bob/02-public-client/src/main.ts');
  write('bob/99-not-a-lab/src/main.ts');
  write('carol/README.md');
  write('.git/config');
  write('notes.txt');
  expect(findSubmissions(dir, LABS)).toEqual([
    { name: 'alice', dir: join(dir, 'alice'), labsRoot: join(dir, 'alice', 'labs'), labs: ['01-registration', '03-confidential-client'] },
    { name: 'bob', dir: join(dir, 'bob'), labsRoot: join(dir, 'bob'), labs: ['02-public-client'] },
    { name: 'carol', dir: join(dir, 'carol'), labs: [] },
  ]);
});

test('a folder that does not exist is named in the error', () => {
  expect(() => findSubmissions(join(dir, 'nope'), LABS)).toThrow(/nope does not exist/);
});

test('staging copies the lab folders only: not the learner\'s test/ or shared/, nor node_modules', () => {
  write('alice/labs/01-registration/src/main.ts', 'export const done = true;\n');
  write('alice/labs/01-registration/node_modules/x/index.js');
  write('alice/labs/notes.md');
  write('alice/test/01-registration/a.test.ts');
  write('alice/shared/fake-tenant/tokens.ts');
  const [alice] = findSubmissions(dir, LABS);
  const scratch = join(dir, 'scratch');
  stageSubmission(alice!, scratch);
  expect(listFiles(scratch)).toEqual(['01-registration/src/main.ts']);
  expect(readFileSync(join(scratch, '01-registration/src/main.ts'), 'utf8')).toBe('export const done = true;\n');
  expect(existsSync(join(scratch, 'test'))).toBe(false);
});

test('a submission\'s name becomes a safe file name', () => {
  expect(safeName('lab-assignment-alice_01')).toBe('lab-assignment-alice_01');
  expect(safeName('Bob Smith/../x')).toBe('Bob_Smith_.._x');
  expect(safeName('..')).toBe('_');
});

function lab(id: string, slug: string, points: number): Lab {
  return {
    id, slug, title: slug, summary: '', steps: [{ id: `${id}.1`, title: 'One', file: 'src/one.ts', readme: '#step-1' }],
    checks: [{ id: `${id}.1.1`, step: `${id}.1`, title: 'it works', points, hint: ['h'], gradable: true }],
  };
}

test('a submission\'s grade: every lab of the workbook counts, a lab that did not run scores 0, a missing folder is noted', () => {
  write('dave/labs/01-registration/src/one.ts');
  const [dave] = findSubmissions(dir, LABS);
  const labs = [lab('01', '01-registration', 3), lab('02', '02-public-client', 4)];
  const ran = labResult(labs[0]!, new Map([['01.1.1', { status: 'passed' as const }]]));
  const grade = submissionGrade(dave!, labs, [ran], 41.5, ['timed out after 300 s']);
  expect(grade).toMatchObject({ name: 'dave', earned: 3, possible: 7, seconds: 41.5, tampering: [] });
  expect(grade.labs.map((result) => [result.slug, result.earned, result.possible])).toEqual([['01-registration', 3, 3], ['02-public-client', 0, 4]]);
  expect(grade.notes).toEqual(['timed out after 300 s', 'no folder for 02-public-client']);
});
