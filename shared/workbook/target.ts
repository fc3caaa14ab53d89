// The one switch that chooses the code under test: WORKBOOK_TARGET=labs|solutions|<folder>.
// Checks reach lab code only through these functions, never through a hard-coded path.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lab } from './manifest.ts';
import { displayPath, isInside, REPO_ROOT } from './repo.ts';

export class TargetError extends Error {
  override name = 'TargetError';
}

/** WORKBOOK_TARGET as results.json names it: `labs` (the default), `solutions` or a folder. */
export function targetName(env: NodeJS.ProcessEnv = process.env): string {
  return env.WORKBOOK_TARGET?.trim() || 'labs';
}

/** The folder laid out like labs/ that the checks grade (default: labs/). */
export function targetRoot(env: NodeJS.ProcessEnv = process.env): string {
  const target = targetName(env);
  const root = isAbsolute(target) ? resolve(target) : resolve(REPO_ROOT, target);
  // Lab code imports shared code as #shared/*, which resolves only inside this package.
  if (!isInside(REPO_ROOT, root)) {
    throw new TargetError(
      `WORKBOOK_TARGET=${target} is outside the workbook (${REPO_ROOT}). ` +
        'Copy the folder to grade inside the repository (for example submissions/alice/) so its #shared/* imports resolve.',
    );
  }
  return root;
}

/** The target's copy of a lab file (`file` relative to the lab folder). Throws if it is missing. */
export function targetPath(lab: Pick<Lab, 'slug'>, file: string): string {
  const root = targetRoot();
  const path = join(root, lab.slug, file);
  if (!existsSync(path)) {
    throw new TargetError(
      `${displayPath(path)} is missing: the checks of ${lab.slug} need ${file} in the target ` +
        `${displayPath(root)} (WORKBOOK_TARGET=${process.env.WORKBOOK_TARGET?.trim() || 'labs'}).`,
    );
  }
  return path;
}

/** Imports the target's copy of a lab module. */
export async function importTarget<T>(lab: Pick<Lab, 'slug'>, file: string): Promise<T> {
  return (await import(pathToFileURL(targetPath(lab, file)).href)) as T;
}
