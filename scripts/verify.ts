// npm run verify: the workbook's self-check (what CI runs). Ends with `N passed, N failed`.
// --end-to-end adds the tests that grade the whole workbook over again (the classroom edition), as CI does.
// --root <folder> and --test-suffix <suffix> verify another workbook (the machinery's test fixtures).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { formatReport, verify } from '#shared/workbook/maintainer/verify.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: REPO_ROOT },
    'test-suffix': { type: 'string', default: '.test.ts' },
    'end-to-end': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const report = await verify({ root: resolve(values.root), testSuffix: values['test-suffix'], endToEnd: values['end-to-end'] });
const lines = formatReport(report);
console.log([...lines.slice(0, -1), `(${((Date.now() - started) / 1000).toFixed(1)} s)`, lines.at(-1)].join('\n'));
process.exitCode = report.failed === 0 ? 0 : 1;
