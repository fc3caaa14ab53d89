// `npm start -- reset NN [--yes]`: puts the starter files of lab NN back in labs/NN-slug/. The starters
// are generated from the solution as `npm run starters` does, into .workbook/pristine/, and only the
// files that differ are copied over: other labs, the lab's guide and files you added stay as they are.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import type { Lab } from '../manifest.ts';
import { REPO_ROOT } from '../repo.ts';
import { compareLab, generateLab, pristineDir } from '../starters.ts';

export interface ResetResult {
  /** Files put back to their starter text, relative to the lab folder. */
  restored: string[];
  /** Files of the lab folder that are not starter files (yours): left alone. */
  kept: string[];
}

/** Restores the starter files of `lab` in `labsDir` from the solutions of the workbook at `root`. */
export function resetLab(root: string, lab: Pick<Lab, 'slug' | 'steps'>, labsDir = join(root, 'labs')): ResetResult {
  const pristine = pristineDir(root);
  generateLab(root, lab, pristine);
  const drift = compareLab(join(pristine, lab.slug), join(labsDir, lab.slug));
  const restored = drift.filter((item) => item.problem !== 'extra').map((item) => item.file);
  for (const file of restored) {
    mkdirSync(dirname(join(labsDir, lab.slug, file)), { recursive: true });
    copyFileSync(join(pristine, lab.slug, file), join(labsDir, lab.slug, file));
  }
  return { restored, kept: drift.filter((item) => item.problem === 'extra').map((item) => item.file) };
}

/** What to do before resetting: go ahead (--yes), ask (a person at a terminal), or refuse (a script). */
export function confirmation(yes: boolean, interactive: boolean): 'go' | 'ask' | 'refuse' {
  return yes ? 'go' : interactive ? 'ask' : 'refuse';
}

export async function reset(lab: Lab, yes: boolean): Promise<number> {
  const folder = `labs/${lab.slug}/`;
  if (!existsSync(join(REPO_ROOT, 'solutions', lab.slug))) {
    // The starters are generated from the solution, which a classroom edition leaves out: git has them.
    console.error(pc.red(`This copy of the workbook has no solutions/${lab.slug}/ to generate the starters from.`));
    console.error(`Git has the starter files of your first commit: git log -- ${folder} shows it, git restore --source=<commit> -- ${folder}src puts them back.`);
    return 1;
  }
  const decision = confirmation(yes, process.stdin.isTTY === true);
  if (decision === 'refuse') {
    console.error(pc.red(`Not resetting ${folder} without a yes: this is not a terminal, so nobody can be asked.`));
    console.error(`To reset it anyway: npm start -- reset ${lab.id} --yes`);
    return 1;
  }
  if (decision === 'ask' && !(await ask(`Put the starter files of ${folder} back? Your changes to them are lost. [y/N] `))) {
    console.log('Nothing changed.');
    return 0;
  }
  const { restored, kept } = resetLab(REPO_ROOT, lab);
  for (const file of restored) console.log(`${pc.green('restored')} ${folder}${file}`);
  for (const file of kept) console.log(`${pc.dim('kept    ')} ${folder}${file} ${pc.dim('(not a starter file)')}`);
  if (restored.length === 0) console.log(`${folder} already holds its starter files.`);
  return 0;
}

async function ask(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
