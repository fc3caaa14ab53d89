// npm run bench: timings of the checks against an empty vitest run (see shared/workbook/maintainer/bench.ts).
import { bench, formatBench } from '#shared/workbook/maintainer/bench.ts';

console.log(formatBench(bench()).join('\n'));
