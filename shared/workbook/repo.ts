// Where the workbook lives on disk, and how paths are shown to a learner (relative to it).
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two folders up from shared/workbook/. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Is `path` the folder `root` or somewhere inside it? */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** A path as the learner sees it: relative to the repository, with forward slashes. */
export function displayPath(path: string, root = REPO_ROOT): string {
  return isInside(root, path) ? relative(root, path).split(sep).join('/') || '.' : path;
}

/** Rewrites every absolute repository path inside a message (stack lines, file URLs) to a relative one. */
export function relativizePaths(text: string, root = REPO_ROOT): string {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return text.replaceAll(`file://${prefix}`, '').replaceAll(prefix, '');
}

/** vitest's command-line entry, run with `node` (its package exports no path to it). */
export const VITEST_CLI = resolve(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
