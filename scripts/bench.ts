// npm run bench [-- --submissions N]: how long the workbook takes, each figure against vitest's floor
// and its target (see shared/workbook/maintainer/bench.ts). About five minutes: it grades 30 submissions.
import { parseArgs } from 'node:util';
import { bench, formatBench } from '#shared/workbook/maintainer/bench.ts';
import { benchBreakdown, formatBreakdown } from '#shared/workbook/maintainer/bench-breakdown.ts';

const { values } = parseArgs({ options: { submissions: { type: 'string' } } });
const submissions = values.submissions === undefined ? undefined : Number(values.submissions);
if (submissions !== undefined && !(Number.isInteger(submissions) && submissions > 0)) {
  console.error('usage: npm run bench [-- --submissions N]');
  process.exitCode = 2;
} else {
  console.log(formatBench(await bench({ ...(submissions ? { submissions } : {}) })).join('\n'));
  // Where each lab's time goes: import, hooks and checks, and its slowest checks.
  console.log(`\n${formatBreakdown(await benchBreakdown()).join('\n')}`);
}
