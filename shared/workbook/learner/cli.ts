// `npm start -- <command>`: the workbook CLI. With no command, the home screen: each lab with its
// progress and points, the next check to work on (its file and first hint), and the commands. It uses
// the last results if they are fresh, otherwise runs the checks first.
import { join } from 'node:path';
import pc from 'picocolors';
import { commandLine, commandList, parseCommand, UsageError, type Command } from './cli-args.ts';
import { freshResults, runChecks } from './cli-checks.ts';
import { discoverLabs, findLab, UnknownLabError } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { needsRecheck, noteCompleted, readProgress, writeProgress } from './progress.ts';
import { displayPath } from '../repo.ts';
import { nextCheck, type WorkbookResults } from '../results.ts';
import { formatLab, formatNext } from '../summary.ts';
import { targetRoot } from '../target.ts';

/** Runs one command line; resolves with the exit code. A mistake prints its reason and the commands. */
export async function startCli(argv: string[]): Promise<number> {
  try {
    return await runCommand(parseCommand(argv));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${pc.red(error.message)}\n\n${commandList().join('\n')}\n`);
      return 1;
    }
    if (error instanceof Error && EXPECTED_ERRORS.has(error.name)) {
      console.error(pc.red(error.message));
      return 1;
    }
    throw error;
  }
}

/** Errors whose message says everything (a missing lab file, invalid settings): no stack trace. */
const EXPECTED_ERRORS = new Set(['HandRunError', 'TargetError', 'StarterError', 'SettingsError', 'ManifestError']);

// Each command imports its own modules when it runs, so the home screen loads only what it needs.
async function runCommand(command: Command): Promise<number> {
  if (command.name === 'help') {
    console.log(`\n${commandList().join('\n')}\n`);
    return 0;
  }
  if (command.name === 'doctor') return (await import('./cli-doctor.ts')).doctor();
  const labs = await discoverLabs();
  switch (command.name) {
    case 'home':
      return home(labs);
    case 'hint':
      return (await import('./cli-hint.ts')).hint(labs, command.lab === undefined ? undefined : labNamed(labs, command.lab));
    case 'watch':
      return (await import('./cli-watch.ts')).watch(labs, command.lab === undefined ? undefined : labNamed(labs, command.lab));
    case 'run':
      return (await import('./hand-run.ts')).handRun(labNamed(labs, command.lab).slug);
    case 'solution':
      return (await import('./cli-solution.ts')).solution(labNamed(labs, command.lab), command.force);
    case 'reset':
      return (await import('./cli-reset.ts')).reset(labNamed(labs, command.lab), command.yes);
  }
}

function labNamed(labs: Lab[], name: string): Lab {
  try {
    return findLab(labs, name);
  } catch (error) {
    throw error instanceof UnknownLabError ? new UsageError(error.message) : error;
  }
}

async function home(labs: Lab[]): Promise<number> {
  console.log(`\n${pc.bold(pc.inverse(' Securing MCP servers with Microsoft Entra ID '))}\n`);
  if (labs.length === 0) {
    console.log(NO_LABS_YET);
    return 0;
  }
  const fresh = freshResults(labs);
  if (fresh) noteCompleted(fresh.labs, fresh.target); // a run of `npm test` may have finished a lab
  let results = fresh ?? (await runChecks(labs));
  // After the last lab passes, every lab is checked once more, as rustlings does: a later lab may
  // have changed a file an earlier one relies on.
  const recheck = needsRecheck(readProgress(), labs.map((lab) => lab.id));
  if (recheck) {
    if (fresh) results = await runChecks(labs);
    writeProgress({ ...readProgress(), rechecked: new Date().toISOString() });
  }
  console.log(homeScreen(labs, results).join('\n'));
  if (recheck) console.log(`  ${pc.bold('All labs re-checked')}: ${results.labs.filter((lab) => !nextCheck(lab)).length}/${results.labs.length} pass.\n`);
  return 0;
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
  `    ${pc.cyan('npx vitest test/NN-slug')}      watch one lab's checks while you work`,
  `    ${pc.cyan('npm run lab -- NN')}           run lab NN by hand against the fake tenant`,
  `    ${pc.cyan('npm run tenant')}              the fake tenant on https://localhost:8443, with its sign-in page`,
  commandLine(),
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
