// The mutant catalogues match the guides: every mutant's edit still applies to its solution, names
// gradable checks and quotes its rule from the right section; every "must", "never" and "always" of a
// guide is quoted by a mutant (or said to be the same rule as one, or no rule of the code); and each
// guide tells instructors how many wrong versions its checks catch. (npm run mutants runs them.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { catalogueProblems, instructorLine, loadCatalogue, normalizeProse, unquotedRules } from '#shared/workbook/maintainer/mutants.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const labs = await discoverLabs();
const MIN_PER_LAB = 12;
const MIN_IN_ALL = 60;

describe.each(labs.map((lab) => [lab.slug, lab] as const))('%s', (slug, lab) => {
  const guide = () => readFileSync(join(REPO_ROOT, 'labs', slug, 'README.md'), 'utf8');

  test(`has a catalogue of at least ${MIN_PER_LAB} mutants that applies cleanly`, async () => {
    const catalogue = await loadCatalogue(REPO_ROOT, slug);
    expect(catalogue, `test/${slug}/mutants.ts`).toBeDefined();
    expect(catalogue!.mutants.length, 'mutants in the catalogue').toBeGreaterThanOrEqual(MIN_PER_LAB);
    expect(catalogueProblems(REPO_ROOT, lab, catalogue!), 'problems of the catalogue').toEqual([]);
  });

  test('every "must", "never" and "always" of the guide has a mutant', async () => {
    const catalogue = (await loadCatalogue(REPO_ROOT, slug))!;
    expect(unquotedRules(guide(), catalogue), 'sentences of the guide no mutant quotes (add a mutant, or an otherStatements entry)').toEqual([]);
  });

  test('the guide tells instructors how many wrong versions its checks catch, in both languages', async () => {
    const count = (await loadCatalogue(REPO_ROOT, slug))!.mutants.length;
    expect(normalizeProse(guide()), `labs/${slug}/README.md`).toContain(instructorLine(slug, count));
    const chinese = readFileSync(join(REPO_ROOT, 'docs', 'zh-CN', 'labs', `${slug}.md`), 'utf8');
    expect(chinese, `docs/zh-CN/labs/${slug}.md names the catalogue and its size`).toMatch(new RegExp(`${count}[^\\n]*test/${slug}/mutants\\.ts`));
  });
});

test(`the catalogues hold at least ${MIN_IN_ALL} mutants in all`, async () => {
  let count = 0;
  for (const lab of labs) count += (await loadCatalogue(REPO_ROOT, lab.slug))?.mutants.length ?? 0;
  expect(count).toBeGreaterThanOrEqual(MIN_IN_ALL);
});
