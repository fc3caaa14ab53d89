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
