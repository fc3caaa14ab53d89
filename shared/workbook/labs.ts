// Finds the labs: every test/NN-slug/ folder with a lab.ts manifest, in lab order.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lab } from './manifest.ts';
import { REPO_ROOT } from './repo.ts';

/** The lab folders under `root/test/` (`NN-slug`), sorted, whether or not their manifest loads. */
export function labFolders(root = REPO_ROOT): string[] {
  const testDir = join(root, 'test');
  if (!existsSync(testDir)) return [];
  return readdirSync(testDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name) && existsSync(join(testDir, entry.name, 'lab.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** A lab name (`NN` or `NN-slug`) this workbook does not have. */
export class UnknownLabError extends Error {
  override name = 'UnknownLabError';
}

/** The lab named by `NN` or `NN-slug`; an unknown name lists the labs there are. */
export function findLab(labs: readonly Lab[], name: string | undefined): Lab {
  const lab = labs.find((candidate) => candidate.id === name || candidate.slug === name);
  if (lab) return lab;
  const list = labs.map((candidate) => `  ${candidate.id}  ${candidate.title}`).join('\n') || '  (none yet)';
  throw new UnknownLabError(`${name ? `There is no lab "${name}".` : 'Name a lab: npm run lab -- NN.'} The labs are:\n${list}`);
}

/** Loads every lab's manifest (a broken one throws, naming its file). */
export async function discoverLabs(root = REPO_ROOT): Promise<Lab[]> {
  return Promise.all(labFolders(root).map((folder) => loadLab(root, folder)));
}

export async function loadLab(root: string, folder: string): Promise<Lab> {
  const file = join(root, 'test', folder, 'lab.ts');
  const module = (await import(pathToFileURL(file).href)) as { default?: Lab; lab?: Lab };
  const lab = module.default ?? module.lab;
  if (!lab) throw new Error(`${file} must export its manifest: export default defineLab({ ... })`);
  if (lab.slug !== folder) throw new Error(`${file}: the slug "${lab.slug}" must equal its folder name "${folder}"`);
  return lab;
}

/**
 * The labs whose code `lab`'s code imports (its manifest's `buildsOn`), and the labs those build on in
 * turn, in lab order. A lab the workbook does not have is a mistake in the manifest: it throws.
 */
export function labsBuiltOn(lab: Pick<Lab, 'id' | 'buildsOn'>, labs: readonly Lab[]): Lab[] {
  const found = new Map<string, Lab>();
  const visit = (ids: readonly string[]) => {
    for (const id of ids) {
      const earlier = labs.find((candidate) => candidate.id === id);
      if (!earlier) throw new Error(`lab ${lab.id} builds on lab ${id}, which this workbook does not have (no test/${id}-*/lab.ts)`);
      if (found.has(id)) continue;
      found.set(id, earlier);
      visit(earlier.buildsOn ?? []);
    }
  };
  visit(lab.buildsOn ?? []);
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The labs that build on `lab`, directly or through another: their results change when it does. */
export function labsBuildingOn(lab: Pick<Lab, 'id'>, labs: readonly Lab[]): Lab[] {
  return labs.filter((other) => labsBuiltOn(other, labs).some((earlier) => earlier.id === lab.id));
}
