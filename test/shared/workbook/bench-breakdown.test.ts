// bench-breakdown.ts's sums, on test modules shaped as vitest hands them to a reporter.
import { expect, test } from 'vitest';
import type { TestModule } from 'vitest/node';
import { breakdownOf, formatBreakdown } from '#shared/workbook/maintainer/bench-breakdown.ts';

const ROOT = '/repo';

/** A test module with the diagnostics the breakdown reads: collect and total duration, and its tests. */
function moduleOf(file: string, collect: number, total: number, tests: Array<[name: string, ms: number, state?: string]>): TestModule {
  return {
    moduleId: `${ROOT}/${file}`,
    diagnostic: () => ({ collectDuration: collect, duration: total }),
    children: {
      allTests: () =>
        tests.map(([name, ms, state]) => ({
          fullName: name,
          diagnostic: () => ({ duration: ms }),
          result: () => ({ state: state ?? 'passed' }),
        })),
    },
  } as unknown as TestModule;
}

test('import, hooks and checks are summed over the files; hooks are what the checks leave of a file', () => {
  const breakdown = breakdownOf(
    [
      moduleOf('test/02-x/a.test.ts', 400, 1000, [['02.1.1 one', 100], ['02.1.2 two', 600]]),
      moduleOf('test/02-x/b.test.ts', 50, 250, [['02.2.1 three', 200, 'failed']]),
    ],
    ROOT,
  );
  expect(breakdown).toMatchObject({ collectMs: 450, hookMs: 350, testMs: 900, files: 2, checks: 3, failed: 1 });
  expect(breakdown.slowest).toEqual([
    { name: '02.1.2 two', file: 'test/02-x/a.test.ts', ms: 600 },
    { name: '02.2.1 three', file: 'test/02-x/b.test.ts', ms: 200 },
    { name: '02.1.1 one', file: 'test/02-x/a.test.ts', ms: 100 },
  ]);
  const lines = formatBreakdown([{ lab: '02-x', wallMs: 2000, ...breakdown }]);
  expect(lines[0]).toMatch(/02-x .*wall +2\.00 s .*import +0\.45 s .*hooks +0\.35 s .*checks +0\.90 s .*3 checks in 2 files, 1 not passed/);
  expect(lines).toHaveLength(4);
});
