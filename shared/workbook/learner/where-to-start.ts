// Where the home screen sends a learner next. Not always lab 01: a learner who began with a lab that
// stands alone (its manifest's `buildsOn` names no earlier lab) carries on there, and a fresh clone is
// told which labs can come first in mock mode.
import type { Lab } from '../manifest.ts';
import { nextCheck, type LabResult } from '../results.ts';

/** The lab to work on: the first started one with a check left, else the first with a check left. */
export function nextLab(results: readonly LabResult[], notStarted: readonly Pick<Lab, 'slug'>[]): LabResult | undefined {
  const untouched = new Set(notStarted.map((lab) => lab.slug));
  const open = results.filter((lab) => nextCheck(lab));
  return open.find((lab) => !untouched.has(lab.slug)) ?? open[0];
}

/**
 * `Labs 02, 03 and 05 build on no other lab: ...`, from the manifests, as two lines for the home screen;
 * undefined when no lab but the first stands alone.
 */
export function standAloneNote(labs: readonly Pick<Lab, 'id' | 'buildsOn'>[]): string[] | undefined {
  const [first, ...later] = labs;
  if (!first) return undefined;
  const alone = later.filter((lab) => (lab.buildsOn ?? []).length === 0).map((lab) => lab.id);
  const building = later.filter((lab) => (lab.buildsOn ?? []).length > 0).map((lab) => `lab ${lab.id} builds on ${listed(lab.buildsOn!.map((id) => `lab ${id}`))}`);
  if (alone.length === 0) return undefined;
  const who = alone.length === 1 ? `Lab ${alone[0]} builds` : `Labs ${listed(alone)} build`;
  const rest = building.length > 0 ? `; ${listed(building)}` : '';
  return [`${who} on no other lab: in mock mode you may start with ${alone.length === 1 ? 'it' : 'any of them'}`, `(the fake tenant already holds lab ${first.id}'s registrations)${rest}.`];
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
