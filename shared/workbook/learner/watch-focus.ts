// Which step a save is about, so watch mode checks it first: the step whose TODO the edit falls under
// (the nearest `TODO(NN.S)` above the first changed line, and any within the changed lines), or every
// step of the saved file when no TODO names one; and the check files that hold those steps' checks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { checkFiles } from '../check-files.ts';
import type { Lab, StepSpec } from '../manifest.ts';

/** A lab folder's files as they were at one moment: path relative to the folder (`src/x.ts`) -> text. */
export type LabFiles = ReadonlyMap<string, string>;

export interface Focus {
  steps: StepSpec[];
  /** The check files to run first, relative to the workbook's root: `test/NN-slug/name.test.ts`. */
  files: string[];
}

export function readLabFiles(folder: string): LabFiles {
  if (!existsSync(folder)) return new Map();
  const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => [relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'), readFileSync(join(entry.parentPath, entry.name), 'utf8')]));
}

/** The lab's steps edited between two readings of its folder, in manifest order. */
export function stepsEdited(lab: Lab, before: LabFiles, after: LabFiles): StepSpec[] {
  const edited = new Set<StepSpec>();
  for (const [file, text] of after) {
    if (before.get(file) === text) continue;
    const ofFile = lab.steps.filter((step) => step.file === file);
    const named = todosAround(before.get(file) ?? '', text);
    const under = ofFile.filter((step) => named.includes(step.id));
    for (const step of under.length > 0 ? under : ofFile) edited.add(step);
  }
  return lab.steps.filter((step) => edited.has(step));
}

/** The check files to run first for these steps; undefined when there are none. */
export function focusOf(lab: Lab, steps: StepSpec[], root: string, testSuffix?: string): Focus | undefined {
  const checkIds = lab.checks.filter((check) => steps.some((step) => step.id === check.step)).map((check) => check.id);
  const files = checkIds.length > 0 ? checkFiles(root, lab, checkIds, testSuffix) : [];
  return files.length > 0 ? { steps, files } : undefined;
}

const TODO = /TODO\((\d\d\.\d+)\)/;

/** The step ids of the TODOs an edit falls under (see the top of this file). */
export function todosAround(before: string, after: string): string[] {
  const old = before.split('\n');
  const now = after.split('\n');
  let first = 0;
  while (first < old.length && first < now.length && old[first] === now[first]) first++;
  let same = 0; // lines unchanged at the end
  while (same < old.length - first && same < now.length - first && old[old.length - 1 - same] === now[now.length - 1 - same]) same++;
  const ids: string[] = [];
  const above = now.slice(0, first + 1).findLast((line) => TODO.test(line));
  if (above) ids.push(TODO.exec(above)![1]!);
  for (const line of now.slice(first, now.length - same)) if (TODO.test(line)) ids.push(TODO.exec(line)![1]!);
  return [...new Set(ids)];
}
