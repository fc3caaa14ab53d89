// Which check files of a lab hold given checks: the mutant runner grades a mutant with them only, and
// watch mode runs them first, for the step being worked on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './manifest.ts';

/**
 * The check files (relative to the root: `test/NN-slug/name.test.ts`) that hold any of these checks,
 * each as a whole file, so a file's setup and its other checks run as they do in a full run.
 * `suffix` names check files (the fixture workbook's end in `.check.ts`).
 */
export function checkFiles(root: string, lab: Lab, checkIds: string[], suffix = '.test.ts'): string[] {
  const folder = join(root, 'test', lab.slug);
  const files = readdirSync(folder).filter((name) => name.endsWith(suffix)).sort();
  const holding = files.filter((name) => {
    const source = readFileSync(join(folder, name), 'utf8');
    return checkIds.some((id) => new RegExp(`\\bcheck\\(\\s*['"\`]${id.replaceAll('.', '\\.')}['"\`]`).test(source));
  });
  return holding.map((name) => `test/${lab.slug}/${name}`);
}
