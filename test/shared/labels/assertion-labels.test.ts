// Every assertion of every check tells the learner what must hold: a failure then names the rule, not
// only two values. And no label sits where vitest drops it.
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { findUnlabelled, unlabelledAssertions } from './assertion-labels.ts';

describe('the scan', () => {
  test('finds an expect without a label, however deeply nested, and names its line', () => {
    const source = "test('x', async () => {\n  await run(() => [expect(f(g(1, 2))).toBe(3)]);\n});\n";
    expect(findUnlabelled(source, 'a.ts'), 'the nested expect on line 2').toEqual([{ where: 'a.ts:2', problem: 'no label' }]);
  });

  test('accepts a labelled expect, and is not fooled by strings or comments', () => {
    const source = "// expect(x).toBe(1)\nconst s = 'expect(y).toBe(2)';\nexpect(x, 'x is one, as (nested) text says').toBe(1);\n";
    expect(findUnlabelled(source, 'a.ts'), 'nothing to report').toEqual([]);
  });

  test('reports a label on .resolves or .rejects, and expect.soft without one', () => {
    const source = "await expect(p, 'lost').resolves.toBe(1);\nawait expect(q, 'lost too').rejects.toThrow();\nexpect.soft(r).toBe(2);\n";
    expect(findUnlabelled(source, 'a.ts'), 'the three problems').toEqual([
      { where: 'a.ts:1', problem: 'label lost on .resolves/.rejects' },
      { where: 'a.ts:2', problem: 'label lost on .resolves/.rejects' },
      { where: 'a.ts:3', problem: 'no label' },
    ]);
  });

  test('ignores expect helpers that assert nothing', () => {
    expect(findUnlabelled('expect.assertions(2);\nconst m = expect.any(String);\n', 'a.ts'), 'no assertion there').toEqual([]);
  });
});

test('every assertion of the lab checks has a label the learner reads, kept by vitest', () => {
  const found = unlabelledAssertions(REPO_ROOT).map(({ where, problem }) => `${where} ${problem}`);
  expect(found, `${found.length} assertions to label (await the value before a labelled assertion)`).toEqual([]);
});
