// Which labs are still their untouched starters: their folder in the target holds exactly what the
// starter generator makes of solutions/NN-slug/ (the guide aside). Nothing of such a lab is done yet, so
// every check of it is "not started", and the home screen can say so without running one: a fresh
// clone answers at once. The starters are generated in memory, never into labs/, and what they hash to
// is kept in .workbook/cache/starters.json beside a hash of what they are generated from (the solution,
// the lab's steps, the generator), so they are generated again only when one of those changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestOf, fileDigests, sha256, type FingerprintPlaces } from './fingerprint.ts';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';
import { labResult, type LabResult } from './results.ts';
import { HAND_WRITTEN, starterFiles } from './starters.ts';
import { todoMessage } from './todo.ts';

export const STARTERS_CACHE = join(REPO_ROOT, '.workbook', 'cache', 'starters.json');

/** Per lab: the hash of what its starters are generated from, and the hash of the starters. */
type StarterCache = Record<string, { source: string; starters: string }>;

const GENERATOR = fileURLToPath(new URL('./starters.ts', import.meta.url));

/** The labs of `labs` whose folder in the target is byte for byte their generated starter. */
export function untouchedLabs(labs: readonly Lab[], places: FingerprintPlaces, cacheFile = STARTERS_CACHE): Lab[] {
  const cache = readCache(cacheFile);
  const before = JSON.stringify(cache);
  const generator = digestOf(fileDigests(GENERATOR));
  const untouched = labs.filter((lab) => {
    const starters = startersDigest(places.root, lab, generator, cache);
    if (!starters) return false;
    const yours = [...fileDigests(join(places.target, lab.slug))].filter(([file]) => !HAND_WRITTEN.has(file));
    return digestOf(new Map(yours)) === starters;
  });
  if (JSON.stringify(cache) !== before) writeCache(cache, cacheFile);
  return untouched;
}

/** What an untouched lab's checks would all say: the TODO of their step, as a run reports it. */
export function untouchedResult(lab: Lab): LabResult {
  return labResult(lab, new Map(lab.checks.map((check) => [check.id, { status: 'not-started', message: todoMessage(check.step) }])));
}

/** The hash of the lab's generated starters, from the cache while their sources are unchanged. */
function startersDigest(root: string, lab: Lab, generator: string, cache: StarterCache): string | undefined {
  const solution = join(root, 'solutions', lab.slug);
  if (!existsSync(solution)) return undefined; // a classroom edition has no solutions to generate from
  const source = sha256([digestOf(fileDigests(solution)), generator, ...lab.steps.map((step) => step.id)].join('\n'));
  if (cache[lab.slug]?.source === source) return cache[lab.slug]!.starters;
  try {
    const starters = digestOf(new Map([...starterFiles(root, lab)].map(([file, content]) => [file, sha256(content)])));
    cache[lab.slug] = { source, starters };
    return starters;
  } catch {
    return undefined; // a solution the generator refuses: `npm run verify` says why; here the checks run
  }
}

function readCache(file: string): StarterCache {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StarterCache;
  } catch {
    return {}; // none yet, or cut short: generate again
  }
}

function writeCache(cache: StarterCache, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(cache, null, 2)}\n`);
}
