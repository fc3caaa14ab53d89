import { expect, test } from 'vitest';
import { solutionLock } from '#shared/workbook/learner/cli-solution.ts';
import { emptyProgress } from '#shared/workbook/learner/progress.ts';
import type { LabResult } from '#shared/workbook/results.ts';

const lab = { id: '03' };
/** Lab 03's result with `passed` of its `total` checks passed, the rest failed. */
const result = (passed: number, total = 15) =>
  ({ id: '03', passed, total, checks: Array.from({ length: total }, (_, index) => ({ status: index < passed ? 'passed' : 'failed' })) }) as LabResult;

test('the solution is locked until every check of the lab passes, and says how to go on', () => {
  const locked = solutionLock(lab, result(5), emptyProgress(), false);
  expect(locked).toContain('The solution of lab 03 opens once every check of the lab that runs here passes (5/15 of its checks passed in the last run).');
  expect(locked).toContain('npm start -- hint 03');
  expect(locked).toContain('npm start -- solution 03 --force');
  expect(solutionLock(lab, undefined, emptyProgress(), false)).toContain('(it has no results yet)');
});

test('it opens when the last results pass, when the lab once passed, or with --force', () => {
  expect(solutionLock(lab, result(15), emptyProgress(), false)).toBeUndefined();
  expect(solutionLock(lab, result(5), { ...emptyProgress(), completed: { '03': '2026-01-01T00:00:00.000Z' } }, false)).toBeUndefined();
  expect(solutionLock(lab, undefined, emptyProgress(), true)).toBeUndefined();
  expect(solutionLock(lab, result(0, 0), emptyProgress(), false)).toBeDefined(); // a lab with no checks proves nothing
});
