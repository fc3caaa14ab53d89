import { beforeAll, expect, test } from 'vitest';
import { formatHints, labToWorkOn } from '#shared/workbook/learner/cli-hint.ts';
import { loadLab } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { emptyProgress, revealHint } from '#shared/workbook/learner/progress.ts';
import type { WorkbookResults } from '#shared/workbook/results.ts';
import { FIXTURE_ROOT, greetingResult, plain } from './fixture.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await loadLab(FIXTURE_ROOT, '91-greeting');
});

const result = (failing: boolean) => greetingResult(lab, failing);

test('hint shows the hints seen so far, the newest last, and counts them', () => {
  const check = result(true).checks[0]!;
  const { shown, revealed } = revealHint(emptyProgress(), check);
  const first = plain(formatHints(lab, check, shown, revealed));
  expect(first).toContain('next 91.1.1 the greeting names the user');
  expect(first).toContain('expected "Hi Ada" to be "Hello, Ada!"');
  expect(first).toContain('hint 1/2: Use the name you are given.');
  expect(first).not.toContain('hint 2/2');
  expect(first).toContain('Ask again for the next one: npm start -- hint 91');

  const last = plain(formatHints(lab, check, check.hint, true));
  expect(last).toContain('hint 2/2: Return `Hello, ${name}!`.');
  expect(last).toContain('That was the last hint for 91.1.1. The step in the guide: labs/91-greeting/README.md#step-1-greet-the-user-by-name');
  expect(plain(formatHints(lab, check, check.hint, false))).toContain('No more hints for 91.1.1: those are all 2.');
});

test('with no lab named, hint and watch take the lab of the first failing check', () => {
  const other = { ...lab, id: '92', slug: '92-other' };
  const results = { labs: [{ ...result(false), slug: '91-greeting' }, { ...result(true), slug: '92-other' }] } as WorkbookResults;
  expect(labToWorkOn([lab, other], results)).toBe(other);
  expect(labToWorkOn([lab, other], undefined)).toBe(lab);
  expect(labToWorkOn([], undefined)).toBeUndefined();
});
