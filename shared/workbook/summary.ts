// The per-lab table printed after `npm test` and on the home screen, and the words every surface (watch,
// hint, solution, the grader) uses for points, a lab that passes, and checks not checked here.
import pc from 'picocolors';
import { firstLine } from './outcomes.ts';
import { labStanding, nextCheck, notCheckedHere, type CheckResult, type LabResult, type WorkbookResults } from './results.ts';

export function formatResults(results: WorkbookResults): string[] {
  const lines = ['', `${pc.bold(pc.inverse(' Workbook '))} ${pc.dim(`checks of ${results.target}/`)}`, ''];
  const titleWidth = Math.max(0, ...results.labs.map((lab) => lab.title.length));
  for (const lab of results.labs) lines.push(...formatLab(lab, titleWidth));
  if (results.labs.length > 1) lines.push(`  ${pc.bold('Total')} ${formatPoints(results.labs)}`);
  const { passed, failed } = results.other;
  if (passed + failed > 0) lines.push(`  ${pc.dim('shared tests:')} ${passed} passed${failed > 0 ? `, ${pc.red(`${failed} failed`)}` : ''}`);
  lines.push('');
  return lines;
}

/** A lab's row, then its next check to work on and the checks not checked here, with why. */
export function formatLab(lab: LabResult, titleWidth = lab.title.length): string[] {
  const skipped = notCheckedHere(lab);
  const row =
    `  ${labMark(lab)} ${pc.bold(lab.id)}  ${lab.title.padEnd(titleWidth)}  ${progressBar(lab.passed, lab.total)} ` +
    `${`${lab.earned}/${lab.possible}`.padStart(7)} points  ${`${lab.passed}/${lab.total}`.padStart(5)} checks` +
    (skipped.length > 0 ? pc.yellow(` · ${skipped.length} not checked here`) : '');
  const next = nextCheck(lab);
  return [row, ...(next ? formatNext(next) : []), ...formatNotChecked(skipped)];
}

/** ✓ every check passes, ◐ some do (or all that ran, some not checked here), ○ none does. */
export function labMark(lab: Pick<LabResult, 'checks'>): string {
  const standing = labStanding(lab);
  if (standing === 'passed') return pc.green('✓');
  return lab.checks.some((check) => check.status === 'passed') ? pc.yellow('◐') : pc.dim('○');
}

/** `38/38 points`, and how many checks (and points) were not checked here. */
export function formatPoints(labs: readonly LabResult[]): string {
  const earned = labs.reduce((sum, lab) => sum + lab.earned, 0);
  const possible = labs.reduce((sum, lab) => sum + lab.possible, 0);
  const skipped = labs.flatMap(notCheckedHere);
  return `${earned}/${possible} points${skipped.length > 0 ? pc.yellow(` · ${countChecks(skipped)} not checked here`) : ''}`;
}

/** `15/15 checks`, and how many were not checked here. */
export function formatCounts(lab: Pick<LabResult, 'checks' | 'passed' | 'total'>): string {
  const skipped = notCheckedHere(lab).length;
  return `${lab.passed}/${lab.total} checks${skipped > 0 ? ` · ${skipped} not checked here` : ''}`;
}

/** `1 check (2 points)`, `3 checks (no points)`. */
export function countChecks(checks: readonly CheckResult[]): string {
  return `${checks.length} check${checks.length === 1 ? '' : 's'} (${pointsOf(checks)})`;
}

/** `2 points`, `1 point`, `no points`: what gradable checks are worth. */
export function pointsOf(checks: readonly CheckResult[]): string {
  const points = checks.filter((check) => check.gradable).reduce((sum, check) => sum + check.points, 0);
  return points === 0 ? 'no points' : `${points} point${points === 1 ? '' : 's'}`;
}

/**
 * The checks not checked here, a pair of lines per reason: which (one by id and title, more by count
 * and ids), then why. Empty when every check was checked.
 */
export function formatNotChecked(checks: readonly CheckResult[], indent = '      '): string[] {
  const byReason = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const reason = firstLine(check.message) || 'skipped, with no reason given';
    byReason.set(reason, [...(byReason.get(reason) ?? []), check]);
  }
  return [...byReason].flatMap(([reason, group]) => {
    const [only] = group;
    const which =
      group.length === 1
        ? `${only!.id} ${only!.title} ${pc.dim(`(${pointsOf(group)})`)}`
        : `${countChecks(group)}: ${group.slice(0, 4).map((check) => check.id).join(', ')}${group.length > 4 ? ', …' : ''}`;
    return [`${indent}${pc.yellow('not checked here')} ${which}`, `${indent}     ${pc.yellow(reason)}`];
  });
}

/**
 * What a lab (or a saved step: `subject`) with nothing left to work on says: every check passes; every
 * check that ran passes, and which were not checked here and why; or nothing ran here at all.
 */
export function formatDone(result: Pick<LabResult, 'checks' | 'passed' | 'total'>, subject: string): string[] {
  const skipped = notCheckedHere(result);
  switch (labStanding(result)) {
    case 'passed':
      return [`${pc.green('✓')} ${pc.bold(`${subject} passes:`)} ${result.total === 1 ? 'its one check' : `all ${result.total} checks`}.`];
    case 'passed-what-ran':
      return [`${pc.yellow('◐')} ${pc.bold(`${subject} passes every check that ran:`)} ${result.passed} of ${result.passed + skipped.length}.`, ...formatNotChecked(skipped, '  ')];
    case 'none-ran':
      return [`${pc.dim('○')} ${pc.bold(`${subject}: no check ran here.`)}`, ...formatNotChecked(skipped, '  ')];
    case 'to-do':
      return [];
  }
}

/** The next check to work on: its id and title, what happened, and its first hint. */
export function formatNext(check: CheckResult, indent = '      '): string[] {
  const lines = [`${indent}${pc.bold('next')} ${check.id} ${check.title}`];
  if (check.status === 'not-started') lines.push(`${indent}     ${pc.yellow(firstLine(check.message))}`);
  else if (check.status === 'not-run') lines.push(`${indent}     ${pc.dim(firstLine(check.message) || 'did not run')}`);
  else lines.push(`${indent}     ${pc.red(firstLine(check.message))}`);
  if (check.hint[0]) lines.push(`${indent}     ${pc.cyan('hint:')} ${check.hint[0]}`);
  return lines;
}

function progressBar(done: number, total: number, width = 10): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return pc.green('█'.repeat(filled)) + pc.dim('░'.repeat(width - filled));
}
