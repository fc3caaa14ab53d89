// Three sample submissions to try the batch grader on, made from this repository (never committed):
//   complete/labs/NN-slug/   every lab's solution
//   partial/NN-slug/         the starters, with the first lab solved and the first step of the second
//   tampered/labs/ + test/   the solutions but the last lab's (still the starter), and a copy of test/ in
//                            which one of that lab's checks was edited to pass whatever the code does
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../manifest.ts';
import { REPO_ROOT } from '../repo.ts';
import { generateLab } from '../starters.ts';

export interface Samples {
  names: string[];
  /** The check the tampered submission edited, and the file it is in. */
  tampered: { check: string; file: string };
}

export function writeSamples(dir: string, labs: readonly Lab[], root = REPO_ROOT): Samples {
  if (labs.length < 2) throw new Error('the samples need at least two labs');
  rmSync(dir, { recursive: true, force: true });
  const solution = (slug: string) => join(root, 'solutions', slug);
  const [first, second] = labs as [Lab, Lab, ...Lab[]];
  const last = labs.at(-1)!;

  for (const lab of labs) cpSync(solution(lab.slug), join(dir, 'complete', 'labs', lab.slug), { recursive: true });

  const partial = join(dir, 'partial');
  for (const lab of labs) generateLab(root, lab, partial);
  cpSync(solution(first.slug), join(partial, first.slug), { recursive: true });
  const step = second.steps[0]!.file;
  cpSync(join(solution(second.slug), step), join(partial, second.slug, step));

  const tampered = join(dir, 'tampered');
  for (const lab of labs) {
    if (lab === last) generateLab(root, lab, join(tampered, 'labs'));
    else cpSync(solution(lab.slug), join(tampered, 'labs', lab.slug), { recursive: true });
  }
  cpSync(join(root, 'test'), join(tampered, 'test'), { recursive: true });
  return { names: ['complete', 'partial', 'tampered'], tampered: editCheckToPass(join(tampered, 'test'), last.slug) };
}

const CHECK_START = /check\('(\d\d\.\d+\.\d+)', async \([^)]*\) => \{/;

/** Makes the first check of the lab's first test file return at once: it passes, whatever the code. */
function editCheckToPass(testRoot: string, slug: string): { check: string; file: string } {
  const testDir = join(testRoot, slug);
  const files = existsSync(testDir) ? readdirSync(testDir).filter((file) => file.endsWith('.test.ts')).sort() : [];
  for (const file of files) {
    const path = join(testDir, file);
    const text = readFileSync(path, 'utf8');
    const match = CHECK_START.exec(text);
    if (!match) continue;
    writeFileSync(path, text.replace(CHECK_START, (start) => `${start}\n  return; // the learner's edit: the check passes whatever the code does`));
    return { check: match[1]!, file: `test/${slug}/${file}` };
  }
  throw new Error(`no check(...) found in ${testDir}`);
}
