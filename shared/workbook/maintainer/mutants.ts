// A lab's mutant catalogue (test/NN-slug/mutants.ts): wrong but plausible versions of the reference
// solution, each one small edit a learner could make, with the guide rule it breaks and the checks that
// must catch it. `npm run mutants` proves every one is caught; test/shared/mutants.test.ts proves the
// catalogue matches the guide.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lab } from '../manifest.ts';
import { headingAnchors } from './verify.ts';

export interface Mutant {
  /** Kebab-case, unique in the lab: "token-in-structured-content". */
  id: string;
  /** What the wrong version does, as a reviewer would say it: "returns the Entra token in structuredContent". */
  title: string;
  /** The solution file it edits, relative to the lab folder: "src/user-details.ts". */
  file: string;
  /** Text that occurs exactly once in the solution file... */
  find: string;
  /** ...and what the wrong version has there instead. */
  replace: string;
  /** The guide rule it breaks: a section of the lab's README.md and words quoted from that section. */
  rule: { section: string; quote: string };
  /** Gradable checks of this lab, at least one of which must fail on the mutant. */
  caughtBy: string[];
  /**
   * The change the guide's "Break it" section asks the learner to make on purpose: `npm run mutants`
   * then also requires one of the lab's attacks (test/NN-slug/break-it.ts) to get through it. One per lab.
   */
  breakIt?: true;
}

/**
 * A sentence of the guide that says "must", "never" or "always" and that no mutant quotes: either the
 * same rule as a mutant that does (`sameRuleAs`), or not a rule of this lab's code (`why`).
 */
export type OtherStatement = { quote: string; sameRuleAs: string } | { quote: string; why: string };

export interface MutantCatalogue {
  /** The lab's id: "03". */
  lab: string;
  mutants: Mutant[];
  otherStatements: OtherStatement[];
}

export function defineMutants(catalogue: MutantCatalogue): MutantCatalogue {
  return catalogue;
}

/** The catalogue of a lab folder, or undefined if it has none. */
export async function loadCatalogue(root: string, slug: string): Promise<MutantCatalogue | undefined> {
  const file = join(root, 'test', slug, 'mutants.ts');
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { default?: MutantCatalogue };
  if (!module.default) throw new Error(`test/${slug}/mutants.ts must export its catalogue: export default defineMutants({ ... })`);
  return module.default;
}

/** The solution file with the mutant's edit applied; throws unless `find` occurs exactly once. */
export function applyMutant(source: string, mutant: Mutant): string {
  const at = source.indexOf(mutant.find);
  if (at < 0 || source.indexOf(mutant.find, at + 1) >= 0) {
    throw new Error(`mutant ${mutant.id}: its find text occurs ${at < 0 ? 'nowhere' : 'more than once'} in ${mutant.file}`);
  }
  return source.slice(0, at) + mutant.replace + source.slice(at + mutant.find.length);
}

/** Whitespace collapsed, so a quote may cross the guide's line breaks. */
export function normalizeProse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The text of a README section (its heading to the next heading of the same or a higher level). */
export function sectionText(readme: string, anchor: string): string | undefined {
  const lines = readme.split('\n');
  let start = -1;
  let level = 0;
  for (const [index, line] of lines.entries()) {
    const heading = /^(#{1,6})\s+/.exec(line);
    if (!heading) continue;
    if (start >= 0 && heading[1]!.length <= level) return lines.slice(start, index).join('\n');
    if (start < 0 && headingAnchors(line).has(anchor.replace(/^#/, ''))) {
      start = index;
      level = heading[1]!.length;
    }
  }
  return start >= 0 ? lines.slice(start).join('\n') : undefined;
}

/** What is wrong with a catalogue, checked without running anything: one line per problem. */
export function catalogueProblems(root: string, lab: Lab, catalogue: MutantCatalogue): string[] {
  const problems: string[] = [];
  const readme = readFileSync(join(root, 'labs', lab.slug, 'README.md'), 'utf8');
  const gradable = new Set(lab.checks.filter((check) => check.gradable).map((check) => check.id));
  const ids = new Set<string>();
  if (catalogue.lab !== lab.id) problems.push(`the catalogue says lab ${catalogue.lab}, its folder is lab ${lab.id}`);
  for (const mutant of catalogue.mutants) {
    const name = `mutant ${mutant.id}`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(mutant.id)) problems.push(`${name}: an id is kebab-case`);
    if (ids.has(mutant.id)) problems.push(`${name}: the id is used twice`);
    ids.add(mutant.id);
    const file = join(root, 'solutions', lab.slug, mutant.file);
    if (!existsSync(file)) problems.push(`${name}: solutions/${lab.slug}/${mutant.file} does not exist`);
    else {
      try {
        if (applyMutant(readFileSync(file, 'utf8'), mutant) === readFileSync(file, 'utf8')) problems.push(`${name}: the edit changes nothing`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (mutant.caughtBy.length === 0) problems.push(`${name}: name the checks that catch it (caughtBy)`);
    for (const id of mutant.caughtBy) if (!gradable.has(id)) problems.push(`${name}: ${id} is not a gradable check of lab ${lab.id}`);
    const section = sectionText(readme, mutant.rule.section);
    if (section === undefined) problems.push(`${name}: labs/${lab.slug}/README.md has no section ${mutant.rule.section}`);
    else if (!normalizeProse(section).includes(normalizeProse(mutant.rule.quote))) {
      problems.push(`${name}: the section ${mutant.rule.section} does not say "${mutant.rule.quote}"`);
    }
  }
  const breakIts = catalogue.mutants.filter((mutant) => mutant.breakIt);
  const attacks = existsSync(join(root, 'test', lab.slug, 'break-it.ts'));
  if (breakIts.length > 1) problems.push(`${breakIts.map((mutant) => mutant.id).join(', ')}: only one mutant is the guide's "Break it" change`);
  if (attacks && breakIts.length === 0) problems.push(`test/${lab.slug}/break-it.ts has attacks, but no mutant is the guide's "Break it" change (breakIt: true)`);
  if (!attacks && breakIts.length > 0) problems.push(`mutant ${breakIts[0]!.id} is a "Break it" change, but test/${lab.slug}/break-it.ts has no attacks`);
  for (const statement of catalogue.otherStatements) {
    if (!normalizeProse(readme).includes(normalizeProse(statement.quote))) problems.push(`the guide does not say "${statement.quote}" (otherStatements)`);
    if ('sameRuleAs' in statement && !ids.has(statement.sameRuleAs)) problems.push(`"${statement.quote}": no mutant ${statement.sameRuleAs}`);
  }
  return problems;
}

/** The guide's "must", "never" and "always" that neither a mutant nor otherStatements quotes, in context. */
export function unquotedRules(readme: string, catalogue: MutantCatalogue): string[] {
  const text = normalizeProse(readme);
  const quotes = [...catalogue.mutants.map((mutant) => mutant.rule.quote), ...catalogue.otherStatements.map((statement) => statement.quote)];
  const spans: Array<[number, number]> = [];
  for (const quote of quotes.map(normalizeProse)) {
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) spans.push([at, at + quote.length]);
  }
  const missing: string[] = [];
  for (const match of text.matchAll(/\b(must|never|always)\b/gi)) {
    const at = match.index;
    if (spans.some(([start, end]) => start <= at && at < end)) continue;
    missing.push(`…${text.slice(Math.max(0, at - 60), at + 60).trim()}…`);
  }
  return missing;
}

/** The line each lab guide's instructor notes carry, with the catalogue's size. */
export function instructorLine(slug: string, count: number): string {
  return `The checks of this lab catch ${count} wrong versions; see \`test/${slug}/mutants.ts\``;
}
