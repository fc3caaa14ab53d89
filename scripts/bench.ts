// npm run bench: timings of the checks against an empty vitest run (see shared/workbook/bench.ts).
import { bench, formatBench } from '#shared/workbook/bench.ts';

console.log(formatBench(bench()).join('\n'));
