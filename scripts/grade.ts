// npm run grade -- <folder of submissions> [--out gradebook.csv] [--jobs N] [--timeout seconds]
//   grades every submission (one subfolder each) with this repository's own checks and writes a CSV gradebook.
// npm run grade -- --samples <folder>
//   writes three sample submissions (complete, partial, tampered) to try it on.
// See docs/instructor-guide.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GRADING_DIR, gradeSubmissions } from '#shared/workbook/grading/grade-batch.ts';
import { gradebookCsv } from '#shared/workbook/grading/grade-csv.ts';
import { writeSamples } from '#shared/workbook/grading/grade-samples.ts';
import { formatGradebook } from '#shared/workbook/grading/grade-table.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { displayPath } from '#shared/workbook/repo.ts';
import { formatPoints } from '#shared/workbook/summary.ts';

const USAGE = 'usage: npm run grade -- <folder of submissions> [--out gradebook.csv] [--jobs N] [--timeout seconds]\n       npm run grade -- --samples <folder>';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, jobs: { type: 'string' }, timeout: { type: 'string' }, samples: { type: 'string' } },
});
const labs = await discoverLabs();

if (values.samples) {
  const samples = writeSamples(resolve(values.samples), labs);
  console.log(`Wrote ${samples.names.join(', ')} to ${displayPath(resolve(values.samples))}/ (tampered edits check ${samples.tampered.check} in ${samples.tampered.file}).`);
  console.log(`Grade them: npm run grade -- ${values.samples}`);
} else if (positionals.length !== 1 || [values.jobs, values.timeout].some((value) => value !== undefined && !(Number(value) > 0))) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  const out = resolve(values.out ?? join(GRADING_DIR, 'gradebook.csv'));
  const controller = new AbortController();
  // Ctrl-C ends the runs and removes their scratch copies (npx and tsx may each pass the signal on: once is enough).
  process.on('SIGINT', () => controller.abort());
  const started = performance.now();
  const grades = await gradeSubmissions(resolve(positionals[0]!), labs, {
    ...(values.jobs ? { jobs: Number(values.jobs) } : {}),
    ...(values.timeout ? { timeoutMs: Number(values.timeout) * 1000 } : {}),
    signal: controller.signal,
    onGraded: (grade) => console.log(`  graded ${grade.name}: ${formatPoints(grade.labs)} in ${grade.seconds.toFixed(1)} s`),
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gradebookCsv(labs, grades));
  console.log(['', ...formatGradebook(grades), ''].join('\n'));
  console.log(`${grades.length} submission(s) in ${((performance.now() - started) / 1000).toFixed(1)} s. Gradebook: ${displayPath(out)}`);
  if (controller.signal.aborted) process.exitCode = 130;
}
