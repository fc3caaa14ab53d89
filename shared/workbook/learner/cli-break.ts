// `npm start -- break NN`: the attacks of lab NN's "Break it" section, sent at the learner's own code on
// the fake tenant. Each is told as it happened (what was sent, what came back, secrets hidden) with its
// verdict and the check that guards the same rule on every run. Exit code 0 when every attack held.
import pc from 'picocolors';
import { hasAttacks, runAttacks, type AttackOutcome } from '../break-it/run.ts';
import type { Lab } from '../manifest.ts';
import { displayPath } from '../repo.ts';
import { targetName, targetRoot } from '../target.ts';

export async function breakIt(lab: Lab): Promise<number> {
  if (!hasAttacks(lab)) {
    console.log(`Lab ${lab.id} has no "Break it" attacks in this copy of the workbook (test/${lab.slug}/break-it.ts).`);
    return 1;
  }
  const where = `${displayPath(targetRoot())}/${lab.slug}`;
  console.log(pc.bold(`\nLab ${lab.id}, break it: the guide's attacks against your code in ${where}/\n`));
  const outcomes = await runAttacks(lab);
  console.log(formatAttacks(lab, outcomes).join('\n'));
  return outcomes.every((outcome) => outcome.verdict === 'held') ? 0 : 1;
}

/** Every attack as a short story, then what to do next. */
export function formatAttacks(lab: Pick<Lab, 'id' | 'slug' | 'checks'>, outcomes: readonly AttackOutcome[]): string[] {
  const lines: string[] = [];
  outcomes.forEach((outcome, index) => {
    lines.push(pc.bold(`${index + 1}. ${outcome.title}`));
    for (const line of outcome.lines) lines.push(`   ${line.startsWith('·') ? pc.dim(line) : line}`);
    lines.push(...verdictLines(lab, outcome), '');
  });
  lines.push(...closingLines(lab, outcomes));
  return lines;
}

function verdictLines(lab: Pick<Lab, 'slug' | 'checks'>, outcome: AttackOutcome): string[] {
  const check = lab.checks.find((candidate) => candidate.id === outcome.proves);
  const guarded = `${outcome.proves} (${check?.title ?? 'its check'})`;
  switch (outcome.verdict) {
    case 'held':
      return [`   ${pc.green('held.')} Check ${guarded} proves this on every run of npm test.`];
    case 'not-ready':
      return [`   ${pc.yellow('nothing to attack yet:')} ${outcome.why ?? 'a step is not done'}`];
    case 'got-through':
      return [
        `   ${pc.red('GOT THROUGH:')} ${indentRest(outcome.why ?? 'the attack worked')}`,
        `   Check ${guarded} fails on this too: npx vitest run test/${lab.slug} -t ${outcome.proves}`,
      ];
  }
}

function closingLines(lab: Pick<Lab, 'id' | 'slug'>, outcomes: readonly AttackOutcome[]): string[] {
  const count = (verdict: AttackOutcome['verdict']) => outcomes.filter((outcome) => outcome.verdict === verdict).length;
  const guide = `labs/${lab.slug}/README.md#break-it`;
  if (count('got-through') > 0) {
    return [pc.red(`${count('got-through')} of ${outcomes.length} attacks got through.`) + ' Fix the code the checks above name, then run this again.'];
  }
  if (count('not-ready') > 0) {
    return [pc.yellow(`${count('not-ready')} of ${outcomes.length} attacks found nothing to attack yet.`) + ` Finish the steps they name, then run this again (${guide}).`];
  }
  const again = targetName() === 'labs' ? `npm start -- break ${lab.id}` : `WORKBOOK_TARGET=${targetName()} npm start -- break ${lab.id}`;
  return [
    pc.green(`Every attack held (${outcomes.length} of ${outcomes.length}).`),
    `Now break your code on purpose: the guide's "Break it" section says which line to change (${guide}).`,
    `Run ${again} again and watch the attack get through, then put the line back.`,
  ];
}

const indentRest = (text: string) => text.split('\n').join('\n   ');
