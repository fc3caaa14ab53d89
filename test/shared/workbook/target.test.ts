import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { importTarget, TargetError, targetPath, targetRoot } from '#shared/workbook/target.ts';
import { FIXTURE_ROOT } from './fixture.ts';

const lab = { slug: '91-greeting' };
afterEach(() => vi.unstubAllEnvs());

test('WORKBOOK_TARGET chooses labs (the default), solutions, or a folder relative to the repository', () => {
  expect(targetRoot({})).toBe(join(REPO_ROOT, 'labs'));
  expect(targetRoot({ WORKBOOK_TARGET: 'solutions' })).toBe(join(REPO_ROOT, 'solutions'));
  expect(targetRoot({ WORKBOOK_TARGET: 'submissions/alice' })).toBe(join(REPO_ROOT, 'submissions', 'alice'));
  expect(targetRoot({ WORKBOOK_TARGET: FIXTURE_ROOT })).toBe(FIXTURE_ROOT);
});

test('a target outside the repository is refused, with the reason', () => {
  expect(() => targetRoot({ WORKBOOK_TARGET: '/tmp/alice' })).toThrow(/outside the workbook.*#shared\/\* imports resolve/);
  expect(() => targetRoot({ WORKBOOK_TARGET: '../elsewhere' })).toThrow(TargetError);
});

test('a missing file names the file and the target', () => {
  vi.stubEnv('WORKBOOK_TARGET', 'solutions');
  expect(() => targetPath(lab, 'src/greet.ts')).toThrow(
    'solutions/91-greeting/src/greet.ts is missing: the checks of 91-greeting need src/greet.ts in the target solutions (WORKBOOK_TARGET=solutions).',
  );
});

test('importTarget loads the target copy of a lab module', async () => {
  vi.stubEnv('WORKBOOK_TARGET', join(FIXTURE_ROOT, 'solutions'));
  const { greet } = await importTarget<typeof import('./fixtures/workbook/solutions/91-greeting/src/greet.ts')>(lab, 'src/greet.ts');
  expect(greet('Alex')).toBe('Hello, Alex!');
});
