// `npm start`: the workbook's home screen. Each lab with its progress and points, the next check to
// work on (its file and first hint), and the commands. Uses the last results if they are fresh,
// otherwise runs the checks first.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import type { Reporter } from 'vitest/node';
import { discoverLabs } from './labs.ts';
import type { Lab } from './manifest.ts';
import WorkbookReporter from './reporter.ts';
import { displayPath, REPO_ROOT } from './repo.ts';
import { nextCheck, readResults, RESULTS_FILE, type WorkbookResults } from './results.ts';
import { runCheckProjects } from './run-checks.ts';
import { formatLab, formatNext } from './summary.ts';
import { targetRoot } from './target.ts';

export async function home(): Promise<void> {
  const labs = await discoverLabs();
  console.log(`\n${pc.bold(pc.inverse(' Securing MCP servers with Microsoft Entra ID '))}\n`);
  if (labs.length === 0) {
    console.log(NO_LABS_YET);
    return;
  }
  const results = freshResults(labs) ?? (await runChecks(labs));
  console.log(homeScreen(labs, results).join('\n'));
}

/** The last run's results, if they cover every lab of this target and are newer than every file they graded. */
export function freshResults(labs: Lab[], file = RESULTS_FILE): WorkbookResults | undefined {
  const results = readResults(file);
  const target = process.env.WORKBOOK_TARGET?.trim() || 'labs';
  if (!results || results.target !== target) return undefined;
  if (!labs.every((lab) => results.labs.some((result) => result.slug === lab.slug))) return undefined;
  const written = statSync(file).mtimeMs;
  const sources = [targetRoot(), join(REPO_ROOT, 'test'), join(REPO_ROOT, 'shared')];
  return sources.every((dir) => newestChange(dir) < written) ? results : undefined;
}

function newestChange(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

async function runChecks(labs: Lab[]): Promise<WorkbookResults> {
  process.stdout.write(pc.dim(`Checking ${labs.length} lab(s) `));
  const progress: Reporter = {
    onTestCaseResult(test) {
      const state = test.result().state;
      process.stdout.write(state === 'passed' ? pc.green('·') : state === 'failed' ? pc.red('·') : pc.dim('·'));
    },
  };
  const workbook = new WorkbookReporter({ print: false });
  const projects = labs.map((lab) => ({ name: lab.slug, include: [`test/${lab.slug}/**/*.test.ts`] }));
  await runCheckProjects(REPO_ROOT, projects, [progress, workbook]);
  process.stdout.write('\n\n');
  if (!workbook.results) throw new Error('The checks did not finish: run `npm test` to see why.');
  return workbook.results;
}

export function homeScreen(labs: Lab[], results: WorkbookResults): string[] {
  const lines: string[] = [];
  const titleWidth = Math.max(...results.labs.map((lab) => lab.title.length));
  const next = results.labs.find((lab) => nextCheck(lab));
  for (const lab of results.labs) lines.push(formatLab(lab, titleWidth)[0]!);
  const earned = results.labs.reduce((sum, lab) => sum + lab.earned, 0);
  const possible = results.labs.reduce((sum, lab) => sum + lab.possible, 0);
  lines.push('', `  ${pc.bold('Points')} ${earned}/${possible}   ${pc.dim(`(checks of ${results.target}/)`)}`, '');

  const check = next && nextCheck(next);
  const lab = next && labs.find((candidate) => candidate.slug === next.slug);
  const step = check && lab?.steps.find((candidate) => candidate.id === check.step);
  if (check && lab && step) {
    lines.push(`  ${pc.bold(`Next: lab ${lab.id}, step ${step.id}`)} ${step.title}`);
    lines.push(`      ${pc.dim('guide')} labs/${lab.slug}/README.md${step.readme}`);
    lines.push(`      ${pc.dim('file ')} ${displayPath(join(targetRoot({ WORKBOOK_TARGET: results.target }), lab.slug, step.file))}`);
    lines.push(...formatNext(check));
  } else {
    lines.push(`  ${pc.green(pc.bold('Every check passes.'))} Well done: try the Going further sections of each guide.`);
  }
  lines.push('', ...COMMANDS);
  return lines;
}

const COMMANDS = [
  pc.bold('  Commands'),
  `    ${pc.cyan('npm test')}                    grade every lab: points, the next failing check and its hint`,
  `    ${pc.cyan('npx vitest --project NN-slug')} watch one lab's checks while you work`,
  `    ${pc.cyan('npm run lab -- NN')}           run lab NN by hand against the fake tenant`,
  `    ${pc.cyan('npm run tenant')}              the fake tenant on https://localhost:8443, with its sign-in page`,
  '',
];

const NO_LABS_YET = [
  '  The labs are on their way: none is in this copy of the workbook yet.',
  '',
  '  What works now:',
  `    ${pc.cyan('npm run tenant')}   the fake Entra ID tenant on https://localhost:8443: sign in as Adele, Megan or Alex`,
  `    ${pc.cyan('npm run verify')}   the workbook's self-check: type-check and the fake tenant's own tests`,
  `    ${pc.cyan('docs/fake-tenant.md')}  who is in the fake tenant and what it speaks`,
  '',
  `  See ${pc.bold('README.md')} for how the course works.`,
  '',
].join('\n');
