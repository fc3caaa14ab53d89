// `npm start -- hint [NN]`: one more hint for the next failing check of lab NN (default: the first lab
// with one), from gentle to explicit, as the manifest lists them. The progress file remembers how many
// the learner has seen, so each ask shows one more.
import pc from 'picocolors';
import { currentResult, freshResults } from './cli-checks.ts';
import type { Lab } from '../manifest.ts';
import { readProgress, revealHint, writeProgress } from './progress.ts';
import { labDone, nextCheck, readResults, type CheckResult, type LabResult, type WorkbookResults } from '../results.ts';
import { formatDone, formatNext } from '../summary.ts';

export async function hint(labs: Lab[], chosen?: Lab): Promise<number> {
  const lab = chosen ?? labToWorkOn(labs, freshResults(labs) ?? readResults());
  if (!lab) {
    console.log('There are no labs yet.');
    return 1;
  }
  const result = await currentResult(lab, labs);
  const check = nextCheck(result);
  if (!check) {
    console.log(formatNoHint(lab, result).join('\n'));
    return 0;
  }
  const { progress, shown, revealed } = revealHint(readProgress(), check);
  writeProgress(progress);
  console.log(formatHints(lab, check, shown, revealed).join('\n'));
  return 0;
}

/**
 * Nothing to hint at: every check passes, or every one that ran (those not checked here are named,
 * with why: a hint about the learner's code would not help them).
 */
export function formatNoHint(lab: Pick<Lab, 'id'>, result: LabResult): string[] {
  const lines = [...formatDone(result, `Lab ${lab.id}`), '  No hint needed.'];
  if (labDone(result)) lines.push(`  Compare with the reference: ${pc.cyan(`npm start -- solution ${lab.id}`)}`);
  return lines;
}

/** The lab of the first failing check in `results`; the first lab when there are none yet. */
export function labToWorkOn(labs: Lab[], results: WorkbookResults | undefined): Lab | undefined {
  const failing = results?.labs.find((lab) => nextCheck(lab));
  return labs.find((lab) => lab.slug === failing?.slug) ?? labs[0];
}

/** The check, what happened, and the hints shown so far: the newest bright, the older ones dim. */
export function formatHints(lab: Pick<Lab, 'id' | 'slug' | 'steps'>, check: CheckResult, shown: string[], revealed: boolean): string[] {
  const [title = '', outcome = ''] = formatNext({ ...check, hint: [] }, '  ');
  const total = check.hint.length;
  const lines = ['', title, outcome, ''];
  shown.forEach((text, index) => {
    const label = `hint ${index + 1}/${total}:`;
    const newest = revealed && index === shown.length - 1;
    lines.push(newest ? `  ${pc.cyan(pc.bold(label))} ${text}` : pc.dim(`  ${label} ${text}`));
  });
  const step = lab.steps.find((candidate) => candidate.id === check.step);
  const guide = `labs/${lab.slug}/README.md${step?.readme ?? ''}`;
  if (!revealed) lines.push('', `  ${pc.yellow('No more hints')} for ${check.id}: those are all ${total}. Reread the step in the guide: ${guide}`);
  else if (shown.length === total) lines.push('', pc.dim(`  That was the last hint for ${check.id}. The step in the guide: ${guide}`));
  else lines.push('', pc.dim(`  Ask again for the next one: npm start -- hint ${lab.id}`));
  lines.push('');
  return lines;
}
