// A lab's fingerprint: one hash of everything its checks' outcome depends on. The reporter records it
// with each lab's result; the CLI computes it again and reuses a result whose fingerprint still matches,
// so a lab runs again only when something it is graded on changed (its contents, not a file's mtime).
// What goes in, for lab NN:
//   - its folder in the target (labs/NN-slug/) and the folders of the labs it builds on (lab 04's code
//     imports your lab 03);
//   - its checks (test/NN-slug/) and those of the labs it builds on (lab 04's checks import lab 03's helpers);
//   - what every check loads: the shared code, vitest's and TypeScript's settings, the installed packages'
//     lock file, the settings' mode and .env, and the browser a check is told to drive (WORKBOOK_BROWSER).
//     A browser installed since is not seen here: `npm test` always runs, and finds it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labsBuiltOn } from './labs.ts';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';

/** Folders no check grades: installed packages, what runs write, git's own. */
const NOT_GRADED = new Set(['node_modules', '.workbook', '.git']);

/** What every check loads besides its lab, relative to the workbook's package (this repository). */
const SHARED_INPUTS = ['shared', 'vitest.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', '.env'];

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The sha256 of each file under `path` (a folder, or a single file), by its path relative to `path`
 * with forward slashes. Empty when nothing is there.
 */
export function fileDigests(path: string): Map<string, string> {
  const digests = new Map<string, string>();
  if (!existsSync(path)) return digests;
  if (statSync(path).isFile()) return digests.set('', sha256(readFileSync(path)));
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !NOT_GRADED.has(entry.name)) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) digests.set(`${prefix}${entry.name}`, sha256(readFileSync(join(dir, entry.name))));
    }
  };
  walk(path, '');
  return digests;
}

/** One hash for a set of files: their paths and contents, in any order. */
export function digestOf(digests: ReadonlyMap<string, string>): string {
  return sha256([...digests].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, digest]) => `${file}\0${digest}\n`).join(''));
}

export interface FingerprintPlaces {
  /** The workbook: test/NN-slug/ holds each lab's checks. */
  root: string;
  /** The folder laid out like labs/ that the checks grade (targetRoot()). */
  target: string;
}

/** Each lab's fingerprint, by slug. Every folder is read once, however many labs build on it. */
export function labFingerprints(labs: readonly Lab[], places: FingerprintPlaces): Map<string, string> {
  const folders = new Map<string, string>();
  const folder = (path: string): string => {
    if (!folders.has(path)) folders.set(path, digestOf(fileDigests(path)));
    return folders.get(path)!;
  };
  const shared = SHARED_INPUTS.map((input) => `${input} ${folder(join(REPO_ROOT, input))}`);
  const mode = `mode ${process.env.WORKBOOK_MODE?.trim() || 'mock'}`;
  const browser = `browser ${process.env.WORKBOOK_BROWSER?.trim() || process.env.WORKBOOK_CHROMIUM?.trim() || ''}`;
  return new Map(
    labs.map((lab) => {
      const graded = [lab, ...labsBuiltOn(lab, labs)].flatMap((each) => [
        `target ${each.slug} ${folder(join(places.target, each.slug))}`,
        `checks ${each.slug} ${folder(join(places.root, 'test', each.slug))}`,
      ]);
      return [lab.slug, sha256([...graded, ...shared, mode, browser].join('\n'))];
    }),
  );
}
