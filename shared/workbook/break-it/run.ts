// Runs a lab's "Break it" attacks (test/NN-slug/break-it.ts) against a target (the learner's labs, the
// solutions or a folder) in one vitest run, and reads each attack back as a verdict: the code held, the
// attack got through, or there is nothing to attack yet (a step is still its TODO).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../manifest.ts';
import { firstLine, testOutcome } from '../outcomes.ts';
import { REPO_ROOT } from '../repo.ts';
import { runCheckProjects } from '../run-checks.ts';
import { targetName } from '../target.ts';

export type Verdict = 'held' | 'got-through' | 'not-ready';

export interface AttackOutcome {
  title: string;
  /** The check that guards the same rule on every run. */
  proves: string;
  lines: string[];
  verdict: Verdict;
  /** Why it got through (the failed expectation's label), or the TODO that stopped it. */
  why?: string;
}

/** Where a lab's attacks live, relative to the root. */
export const attackFile = (lab: Pick<Lab, 'slug'>): string => `test/${lab.slug}/break-it.ts`;

export function hasAttacks(lab: Pick<Lab, 'slug'>, root = REPO_ROOT): boolean {
  return existsSync(join(root, attackFile(lab)));
}

export async function runAttacks(lab: Lab, target = targetName(), root = REPO_ROOT): Promise<AttackOutcome[]> {
  const { modules, unhandledErrors } = await runCheckProjects(root, [{ name: `${lab.slug}@break-it`, include: [attackFile(lab)], target }]);
  const outcomes: AttackOutcome[] = [];
  for (const module of modules) {
    const [loadError] = module.errors();
    if (loadError) throw new Error(`${attackFile(lab)} did not load: ${firstLine(loadError.message)}`);
    for (const test of module.children.allTests()) {
      const meta = test.meta().breakIt;
      if (!meta) continue;
      const outcome = testOutcome(test, root);
      const verdict: Verdict = outcome.status === 'passed' ? 'held' : outcome.status === 'not-started' ? 'not-ready' : 'got-through';
      outcomes.push({ title: meta.title, proves: meta.proves, lines: meta.lines, verdict, ...(outcome.message ? { why: outcome.message } : {}) });
    }
  }
  if (outcomes.length === 0) throw new Error(`${attackFile(lab)} ran no attack${unhandledErrors.length ? `: ${firstLine(unhandledErrors[0])}` : ''}`);
  return outcomes;
}
