// npm run mutants [-- --lab NN ... --only <mutant id> ... --all-checks]
//   applies every wrong-but-plausible version in test/NN-slug/mutants.ts to a copy of its lab's solution,
//   grades each copy with the check files of its lab that hold the checks it names (--all-checks: every
//   check file of the lab), and requires one of the checks the mutant names to fail. A check that passes
//   at run time on code TypeScript refuses fails, as for a learner: "(type error only)" says a mutant was
//   caught that way alone; "(and a type error: make it type-check)" says it was caught at run time on
//   code TypeScript refuses too, which proves less than it seems.
//   Prints a table (lab, mutant, rule, caught by) and ends `N caught, M survived`; a survivor fails the run.
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { catalogueProblems, loadCatalogue } from '#shared/workbook/maintainer/mutants.ts';
import { runMutants, type MutantRun } from '#shared/workbook/maintainer/mutants-run.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

/** The budget for the whole catalogue on two cores. */
const BUDGET_SECONDS = 300;

const { values } = parseArgs({
  options: {
    lab: { type: 'string', multiple: true, default: [] },
    only: { type: 'string', multiple: true, default: [] },
    'all-checks': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const runs: MutantRun[] = [];
const problems: string[] = [];
for (const lab of await discoverLabs()) {
  if (values.lab.length > 0 && !values.lab.includes(lab.id)) continue;
  const catalogue = await loadCatalogue(REPO_ROOT, lab.slug);
  if (!catalogue) {
    problems.push(`lab ${lab.id} has no mutant catalogue (test/${lab.slug}/mutants.ts)`);
    continue;
  }
  problems.push(...catalogueProblems(REPO_ROOT, lab, catalogue).map((problem) => `lab ${lab.id}: ${problem}`));
  for (const mutant of catalogue.mutants) if (values.only.length === 0 || values.only.includes(mutant.id)) runs.push({ lab, mutant });
}
if (problems.length > 0) {
  console.log(pc.red('The catalogue has problems; nothing was run:'));
  for (const problem of problems) console.log(`  ${problem}`);
  console.log('\n0 caught, 0 survived');
  process.exit(1);
}

console.log(`Grading ${runs.length} mutants (each a copy of its lab's solution with one wrong edit) with the checks meant to catch them...`);
const verdicts = await runMutants(REPO_ROOT, runs, { allChecks: values['all-checks'] });
const rows = verdicts.map((verdict) => [
  verdict.lab.id,
  verdict.mutant.id,
  clip(verdict.mutant.rule.quote, 56),
  verdict.caught ? `${verdict.failedChecks.filter((id) => verdict.mutant.caughtBy.includes(id)).join(' ')}${verdict.byTypesOnly ? pc.dim(' (type error only)') : ''}${verdict.alsoIllTyped ? pc.yellow(' (and a type error: make it type-check)') : ''}` : pc.red('SURVIVED'),
]);
const header = ['lab', 'mutant', 'rule', 'caught by'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleLength(row[column]!))));
const line = (cells: string[]) => cells.map((cell, column) => cell + ' '.repeat(widths[column]! - visibleLength(cell))).join('  ').trimEnd();
console.log(`\n${line(header.map((title) => pc.bold(title)))}`);
for (const row of rows) console.log(line(row));

const survivors = verdicts.filter((verdict) => !verdict.caught);
for (const verdict of survivors) console.log(`\n${pc.red('survived')} ${verdict.lab.id} ${verdict.mutant.id} (${verdict.mutant.title}): ${verdict.problem}`);
const seconds = (Date.now() - started) / 1000;
const withinBudget = seconds <= BUDGET_SECONDS;
console.log(`\n${verdicts.length} mutants in ${seconds.toFixed(1)} s (budget ${BUDGET_SECONDS} s${withinBudget ? '' : pc.red(': over budget')})`);
console.log(`${verdicts.length - survivors.length} caught, ${survivors.length} survived`);
process.exitCode = survivors.length === 0 ? 0 : 1;

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

function visibleLength(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}
