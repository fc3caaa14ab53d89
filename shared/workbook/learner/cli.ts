// `npm start -- <command>`: the workbook CLI. With no command, the home screen: each lab with its
// progress and points, the next check to work on (its file and first hint), and the commands. It runs
// only the checks of labs that changed since their last results (cli-checks.ts), often none.
import { join } from 'node:path';
import pc from 'picocolors';
import { commandLine, commandList, parseCommand, UsageError, type Command } from './cli-args.ts';
import { planChecks, resultsOf, runChecks } from './cli-checks.ts';
import { discoverLabs, findLab, UnknownLabError } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { nextLab, standAloneNote } from './where-to-start.ts';
import { needsRecheck, noteCompleted, readProgress, writeProgress } from './progress.ts';
import { displayPath } from '../repo.ts';
import { labDone, labStanding, nextCheck, notCheckedHere, type WorkbookResults } from '../results.ts';
import { formatLab, formatNext, formatNotChecked, formatPoints } from '../summary.ts';
import { targetName, targetRoot } from '../target.ts';

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
    case 'break':
      return (await import('./cli-break.ts')).breakIt(labNamed(labs, command.lab));
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
  const plan = planChecks(labs);
  noteCompleted([...plan.known.values()], targetName()); // a run of `npm test` may have finished a lab
  const ran = plan.toRun.length > 0 ? await runChecks(plan.toRun, plan) : undefined;
  // After the last lab passes, every lab is checked once more, as rustlings does: a later lab may
  // have changed a file an earlier one relies on. The labs this start just ran need no second run.
  const recheck = needsRecheck(readProgress(), labs.map((lab) => lab.id));
  const rest = labs.filter((lab) => !plan.toRun.includes(lab));
  const rechecked = recheck && rest.length > 0 ? await runChecks(rest, 'recheck') : undefined;
  if (recheck) writeProgress({ ...readProgress(), rechecked: new Date().toISOString() });
  const results = resultsOf(labs, plan, [ran, rechecked]);
  console.log(homeScreen(labs, results, plan.untouched).join('\n'));
  if (recheck) console.log(`  ${pc.bold('All labs re-checked')}: ${results.labs.filter(labDone).length}/${results.labs.length} pass.\n`);
  return 0;
}

/** The home screen: each lab's row, the points, and the next check with its guide section, file and first hint. */
export function homeScreen(labs: Lab[], results: WorkbookResults, notStarted: Lab[] = []): string[] {
  const lines: string[] = [];
  const titleWidth = Math.max(...results.labs.map((lab) => lab.title.length));
  const next = nextLab(results.labs, notStarted);
  for (const lab of results.labs) lines.push(formatLab(lab, titleWidth)[0]!);
  lines.push('', `  ${pc.bold('Points')} ${formatPoints(results.labs)}   ${pc.dim(`(checks of ${results.target}/)`)}`);
  lines.push(...formatNotChecked(results.labs.flatMap(notCheckedHere), '  '));
  if (notStarted.length > 0) lines.push(`  ${pc.dim(notRunNote(labs, notStarted))}`);
  lines.push('');

  const check = next && nextCheck(next);
  const lab = next && labs.find((candidate) => candidate.slug === next.slug);
  const step = check && lab?.steps.find((candidate) => candidate.id === check.step);
  if (check && lab && step) {
    lines.push(`  ${pc.bold(`Next: lab ${lab.id}, step ${step.id}`)} ${step.title}`);
    lines.push(`      ${pc.dim('guide')} labs/${lab.slug}/README.md${step.readme}`);
    lines.push(`      ${pc.dim('file ')} ${displayPath(join(targetRoot({ WORKBOOK_TARGET: results.target }), lab.slug, step.file))}`);
    lines.push(...formatNext(check));
    const alone = notStarted.length === labs.length ? standAloneNote(labs) : undefined;
    if (alone) lines.push('', ...alone.map((line) => `  ${pc.dim(line)}`));
  } else if (results.labs.every((result) => labStanding(result) === 'passed')) {
    lines.push(`  ${pc.green(pc.bold('Every check passes.'))} Well done: try the Going further sections of each guide.`);
  } else {
    // Never "every check passes" while some were not checked here: they are listed above, with why.
    lines.push(`  ${pc.yellow(pc.bold('Every check that ran passes.'))} The others were not checked here: why is above.`);
  }
  lines.push('', ...COMMANDS);
  return lines;
}

/** Why some rows come from no run: those labs are still their starters, so none of their checks can pass. */
function notRunNote(labs: Lab[], notStarted: Lab[]): string {
  if (notStarted.length === labs.length) return 'Nothing run yet: no lab is started.';
  const ids = notStarted.map((lab) => lab.id);
  const named = ids.length === 1 ? `Lab ${ids[0]} is` : `Labs ${ids.slice(0, -1).join(', ')} and ${ids.at(-1)} are`;
  return `${named} not started yet, so not run.`;
}

const COMMANDS = [
  pc.bold('  Commands'),
  `    ${pc.cyan('npm test')}                    grade every lab: points, the next failing check and its hint`,
  `    ${pc.cyan('npx vitest test/NN-slug')}     watch one lab's checks while you work`,
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
