// The per-lab table printed after `npm test` and on the home screen.
import pc from 'picocolors';
import { firstLine } from './outcomes.ts';
import { nextCheck, type CheckResult, type LabResult, type WorkbookResults } from './results.ts';

export function formatResults(results: WorkbookResults): string[] {
  const lines = ['', `${pc.bold(pc.inverse(' Workbook '))} ${pc.dim(`checks of ${results.target}/`)}`, ''];
  const titleWidth = Math.max(0, ...results.labs.map((lab) => lab.title.length));
  for (const lab of results.labs) lines.push(...formatLab(lab, titleWidth));
  if (results.labs.length > 1) {
    const earned = results.labs.reduce((sum, lab) => sum + lab.earned, 0);
    const possible = results.labs.reduce((sum, lab) => sum + lab.possible, 0);
    lines.push(`  ${pc.bold('Total')} ${earned}/${possible} points`);
  }
  const { passed, failed } = results.other;
  if (passed + failed > 0) lines.push(`  ${pc.dim('shared tests:')} ${passed} passed${failed > 0 ? `, ${pc.red(`${failed} failed`)}` : ''}`);
  lines.push('');
  return lines;
}

export function formatLab(lab: LabResult, titleWidth = lab.title.length): string[] {
  const row =
    `  ${labMark(lab)} ${pc.bold(lab.id)}  ${lab.title.padEnd(titleWidth)}  ${progressBar(lab.passed, lab.total)} ` +
    `${`${lab.earned}/${lab.possible}`.padStart(7)} points  ${`${lab.passed}/${lab.total}`.padStart(5)} checks`;
  const next = nextCheck(lab);
  return next ? [row, ...formatNext(next)] : [row];
}

/** ✓ every check passes, ◐ some do, ○ none does. */
export function labMark(lab: Pick<LabResult, 'passed' | 'total'>): string {
  return lab.passed === lab.total ? pc.green('✓') : lab.passed === 0 ? pc.dim('○') : pc.yellow('◐');
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
