import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { emptyProgress, hintsShown, needsRecheck, noteCompleted, readProgress, recordCompleted, revealHint, writeProgress } from '#shared/workbook/learner/progress.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import type { LabResult } from '#shared/workbook/results.ts';

mkdirSync(join(REPO_ROOT, '.workbook'), { recursive: true });
const dir = mkdtempSync(join(REPO_ROOT, '.workbook', 'cli-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = { id: '91.1.1', hint: ['gentle', 'explicit'] };
/** A lab's result with `passed` of its `total` checks passed, the rest failed. */
const lab = (id: string, passed: number, total = 3) =>
  ({ id, passed, total, checks: Array.from({ length: total }, (_, index) => ({ status: index < passed ? 'passed' : 'failed' })) }) as LabResult;

test('each ask reveals one more hint, then says there are no more', () => {
  const first = revealHint(emptyProgress(), check);
  expect(first).toMatchObject({ shown: ['gentle'], revealed: true });
  const second = revealHint(first.progress, check);
  expect(second).toMatchObject({ shown: ['gentle', 'explicit'], revealed: true });
  const third = revealHint(second.progress, check);
  expect(third).toMatchObject({ shown: ['gentle', 'explicit'], revealed: false });
  expect(third.progress.hints).toEqual({ '91.1.1': 2 });
  expect(hintsShown(first.progress, check)).toEqual(['gentle']);
  expect(hintsShown(emptyProgress(), check)).toEqual([]);
});

test('a lab is stamped completed the first time all its checks pass, and keeps that stamp', () => {
  const first = recordCompleted(emptyProgress(), [lab('01', 3), lab('02', 1)], new Date('2026-01-01T00:00:00Z'));
  expect(first.completed).toEqual({ '01': '2026-01-01T00:00:00.000Z' });
  const later = recordCompleted(first, [lab('01', 3)], new Date('2026-02-01T00:00:00Z'));
  expect(later).toBe(first);
});

test('every lab is re-checked once, after the last one passes', () => {
  const oneDone = recordCompleted(emptyProgress(), [lab('01', 3)], new Date('2026-01-01T00:00:00Z'));
  expect(needsRecheck(oneDone, ['01', '02'])).toBe(false);
  const allDone = recordCompleted(oneDone, [lab('02', 3)], new Date('2026-01-02T00:00:00Z'));
  expect(needsRecheck(allDone, ['01', '02'])).toBe(true);
  expect(needsRecheck({ ...allDone, rechecked: '2026-01-03T00:00:00.000Z' }, ['01', '02'])).toBe(false);
  expect(needsRecheck(emptyProgress(), [])).toBe(false);
});

test('the progress file round-trips, and a broken one starts again', () => {
  const file = join(dir, 'progress.json');
  expect(readProgress(file)).toEqual(emptyProgress());
  const progress = revealHint(emptyProgress(), check).progress;
  writeProgress(progress, file);
  expect(readProgress(file)).toEqual(progress);
  expect(noteCompleted([lab('01', 3)], 'solutions', file).completed, 'a run against solutions/ records no progress').toEqual({});
  const noted = noteCompleted([lab('01', 3)], 'labs', file, new Date('2026-01-01T00:00:00Z'));
  expect(noted.completed['01'], "a pass in the learner's labs/ is recorded").toBe('2026-01-01T00:00:00.000Z');
  expect(readProgress(file)).toEqual(noted);
  expect(noted.hints).toEqual({ '91.1.1': 1 });
  writeFileSync(file, '{"version": 1, "hin');
  expect(readProgress(file)).toEqual(emptyProgress());
});
