// What watch mode prints after a run: the first failing check with its message and hints (or a pass),
// for the whole lab or for the step just saved, and the lab's line once the rest of it has run.
import { join } from 'node:path';
import pc from 'picocolors';
import type { Lab, StepSpec } from '../manifest.ts';
import { hintsShown, type Progress } from './progress.ts';
import { displayPath } from '../repo.ts';
import { labDone, nextCheck, type CheckResult, type LabResult } from '../results.ts';
import { formatCounts, formatDone } from '../summary.ts';
import { targetRoot } from '../target.ts';

const MESSAGE_LINES = 20;
const KEYS = pc.dim('  r re-run · h next hint · q quit');

/**
 * One run's outcome: the first failing check with its message and the hints seen so far, or a pass
 * (never "all pass" while a check was not checked here: those are named, with why).
 */
export function formatWatch(lab: Lab, result: LabResult, progress: Progress, labs: Lab[]): string[] {
  const lines = [labLine(lab, formatCounts(result))];
  const check = nextCheck(result);
  if (check) lines.push(...formatCheck(lab, check, progress, labs));
  else {
    lines.push(...formatDone(result, `Lab ${lab.id}`));
    if (labDone(result)) {
      lines.push(`  See the reference: npm start -- solution ${lab.id}`);
      const after = labs[labs.indexOf(lab) + 1];
      if (after) lines.push(`  Next: lab ${after.id} ${after.title} (npm start -- watch ${after.id})`);
    }
  }
  lines.push(KEYS, '');
  return lines;
}

/**
 * The verdict on the check files of the step just saved, before the rest of the lab has run: its first
 * failing check, or a pass. `result` holds the checks of those files only.
 */
export function formatStep(lab: Lab, steps: StepSpec[], result: LabResult, progress: Progress, labs: Lab[]): string[] {
  const named = steps.map((step) => step.id).join(', ');
  const lines = [labLine(lab, `step ${named} · ${formatCounts(result)}`)];
  const check = nextCheck(result);
  lines.push(...(check ? formatCheck(lab, check, progress, labs) : formatDone(result, `Step ${named}`)));
  return lines;
}

/** After the rest of the lab: how many of its checks pass now, and the keys. */
export function formatLabLine(lab: Lab, result: LabResult): string[] {
  return [labLine(lab, formatCounts(result)), KEYS, ''];
}

function labLine(lab: Lab, counts: string): string {
  return pc.dim(`── lab ${lab.id} ${lab.title} · ${counts} · ${new Date().toLocaleTimeString()}`);
}

/** A failing check: its message (the first lines), the step to revisit and the hints seen so far. */
function formatCheck(lab: Lab, check: CheckResult, progress: Progress, labs: Lab[]): string[] {
  const { owner, step } = stepToWorkOn(lab, check, labs);
  const mark = check.status === 'not-started' ? pc.yellow('○') : pc.red('✗');
  const lines = [`${mark} ${pc.bold(check.id)} ${check.title}`];
  const message = (check.message ?? 'did not run').split('\n');
  lines.push(...message.slice(0, MESSAGE_LINES).map((line) => `    ${line}`));
  if (message.length > MESSAGE_LINES) lines.push(pc.dim(`    … (${message.length - MESSAGE_LINES} more lines: npm test shows them all)`));
  const file = displayPath(join(targetRoot(), owner.slug, step?.file ?? ''));
  if (step) lines.push(`  ${pc.dim('step')} ${step.id} ${step.title}: ${file} ${pc.dim(`(guide: README.md${step.readme})`)}`);
  const seen = hintsShown(progress, check);
  lines.push(...formatHintLines(check, seen.length > 0 ? seen : check.hint.slice(0, 1)));
  return lines;
}

/**
 * The step a failing check sends the learner to: its own, or the step of an earlier lab whose TODO it
 * reached (lab 04's checks on an unfinished lab 03 say `TODO(03.4) ...`).
 */
function stepToWorkOn(lab: Lab, check: CheckResult, labs: Lab[]): { owner: Lab; step?: StepSpec } {
  const [, labId, stepNumber] = /TODO\((\d\d)\.(\d+)\)/.exec(check.message ?? '') ?? [];
  const earlier = labId !== lab.id ? labs.find((candidate) => candidate.id === labId) : undefined;
  const earlierStep = earlier?.steps.find((candidate) => candidate.id === `${labId}.${stepNumber}`);
  if (earlier && earlierStep) return { owner: earlier, step: earlierStep };
  return { owner: lab, step: lab.steps.find((candidate) => candidate.id === check.step) };
}

export function formatHintLines(check: CheckResult, shown: string[]): string[] {
  return shown.map((text, index) => `  ${pc.cyan(`hint ${index + 1}/${check.hint.length}:`)} ${text}`);
}
