// `npm run mutants`: each mutant applied to its own copy of its lab's solution, every copy graded by its
// lab's checks in one vitest run (learner isolation, both cores), and a verdict per mutant. Beside that run,
// one tsc type-checks every copy (type-check.ts): a check that passes at run time on code TypeScript
// refuses fails, as it does for a learner.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkFiles } from '../check-files.ts';
import { discoverLabs, labsBuiltOn } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { attackFile } from '../break-it/run.ts';
import { applyMutant, type Mutant } from './mutants.ts';
import { collectOutcomes, firstLine, type RunOutcomes } from '../outcomes.ts';
import { runCheckProjects, type CheckProject } from '../run-checks.ts';
import { refusedByTypes, startTypeCheck } from '../type-check.ts';

export interface MutantRun {
  lab: Lab;
  mutant: Mutant;
}

export interface MutantVerdict extends MutantRun {
  /** Caught: a check it names failed. */
  caught: boolean;
  /** Every gradable check that failed on the mutant. */
  failedChecks: string[];
  /** Caught only because TypeScript refuses the mutant's code: every catcher that failed passed at run time. */
  byTypesOnly?: true;
  /**
   * Caught at run time, on code TypeScript refuses as well: the catch proves less than it seems (a
   * learner's version would not type-check). Make the mutant type-check.
   */
  alsoIllTyped?: true;
  /** Why it counts as survived, in words a maintainer can act on. */
  problem?: string;
}

/**
 * Where this run's mutated copies go: inside the repository, so their #shared/* imports resolve, and in
 * a folder of this process's own, so two runs at once never delete each other's copies.
 */
export function mutantsDir(root: string): string {
  return join(root, '.workbook', 'mutants', String(process.pid));
}

export interface RunMutantsOptions {
  /** Run every check file of the lab, not only the files that hold the mutant's named catchers. */
  allChecks?: boolean;
}

export async function runMutants(root: string, runs: MutantRun[], options: RunMutantsOptions = {}): Promise<MutantVerdict[]> {
  const base = mutantsDir(root);
  const labs = await discoverLabs(root);
  let outcomes: RunOutcomes;
  const illTyped = new Set<string>(); // projects whose copy TypeScript refuses
  try {
    const projects = runs.map(({ lab, mutant }) => mutantProject(root, base, lab, labsBuiltOn(lab, labs), mutant, options));
    // Every copy is new content: nothing to keep for the next run.
    const types = startTypeCheck(root, runs.map(({ lab, mutant }) => ({ lab, folder: mutantFolder(base, lab, mutant) })), { cache: false });
    const run = await runCheckProjects(root, projects);
    const { labs: typesByFolder } = await types;
    const byProject = new Map(runs.map(({ lab, mutant }) => [projectName(lab, mutant), typesByFolder.get(mutantFolder(base, lab, mutant))]));
    for (const [project, types] of byProject) if (types?.errors.length) illTyped.add(project);
    const collected = collectOutcomes(run.modules, root, run.sourceOf);
    outcomes = { ...collected, tests: collected.tests.map((test) => (test.check ? refusedByTypes(test, test.check, byProject.get(test.project)) : test)) };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }

  return runs.map((item) => {
    const project = projectName(item.lab, item.mutant);
    const gradable = new Set(item.lab.checks.filter((check) => check.gradable).map((check) => check.id));
    const tests = outcomes.tests.filter((test) => test.project === project && test.check && gradable.has(test.check.check));
    const failedChecks = tests.filter((test) => test.status === 'failed' || test.status === 'not-started').map((test) => test.check!.check).sort();
    // The guide's "Break it" change must also let one of the lab's provided attacks through.
    const attackGotThrough = outcomes.tests.some((test) => test.project === project && test.file === attackFile(item.lab) && test.status === 'failed');
    const caught = failedChecks.some((id) => item.mutant.caughtBy.includes(id)) && (!item.mutant.breakIt || attackGotThrough);
    const catchers = tests.filter((test) => item.mutant.caughtBy.includes(test.check!.check) && test.status === 'failed');
    const byTypesOnly = caught && catchers.every((test) => test.typeError);
    const loadFailure = outcomes.moduleFailures.find((failure) => failure.project === project);
    let problem: string | undefined;
    if (loadFailure) problem = `${loadFailure.file} does not load (${firstLine(loadFailure.message)}): a mutant is a plausible version, not a broken one`;
    else if (item.mutant.breakIt && !attackGotThrough) problem = `it is the guide's "Break it" change, yet every attack of ${attackFile(item.lab)} held`;
    else if (!caught && failedChecks.length > 0) problem = `caught only by ${failedChecks.join(', ')}: add them to caughtBy if they are meant to catch it`;
    else if (!caught) {
      const skipped = tests.filter((test) => item.mutant.caughtBy.includes(test.check!.check) && test.status === 'skipped');
      problem = skipped.length
        ? `its catchers were skipped (${skipped.map((test) => `${test.check!.check}: ${test.message ?? 'skipped'}`).join('; ')})`
        : `every check passes: ${item.mutant.caughtBy.join(', ')} should fail on it`;
    }
    const alsoIllTyped = caught && !byTypesOnly && illTyped.has(project);
    return { ...item, caught: caught && !loadFailure, failedChecks, ...(byTypesOnly ? { byTypesOnly } : {}), ...(alsoIllTyped ? { alsoIllTyped } : {}), ...(problem ? { problem } : {}) };
  });
}

/**
 * A copy of the lab's solution with the mutant's edit, beside copies of the solutions of the labs it
 * builds on (its code imports them from there), and the check files that grade it.
 */
function mutantProject(root: string, base: string, lab: Lab, builtOn: Lab[], mutant: Mutant, options: RunMutantsOptions): CheckProject {
  const copy = mutantFolder(base, lab, mutant);
  const target = dirname(copy);
  cpSync(join(root, 'solutions', lab.slug), copy, { recursive: true });
  for (const earlier of builtOn) cpSync(join(root, 'solutions', earlier.slug), join(target, earlier.slug), { recursive: true });
  const file = join(copy, mutant.file);
  writeFileSync(file, applyMutant(readFileSync(file, 'utf8'), mutant));
  const include = options.allChecks ? [`test/${lab.slug}/**/*.test.ts`] : checkFiles(root, lab, mutant.caughtBy);
  if (mutant.breakIt) include.push(attackFile(lab));
  if (include.length === 0) throw new Error(`mutant ${mutant.id}: no file of test/${lab.slug}/ holds check(${mutant.caughtBy.join(', ')})`);
  // Graded exactly as a learner's copy is: fresh lab modules for each check file (LAB_CHECKS).
  return { name: projectName(lab, mutant), include, target };
}

/** The mutant's copy of its lab's folder: `<base>/04-<mutant id>/04-best-practices`. */
function mutantFolder(base: string, lab: Lab, mutant: Mutant): string {
  return join(base, `${lab.id}-${mutant.id}`, lab.slug);
}

function projectName(lab: Lab, mutant: Mutant): string {
  return `${lab.slug}~${mutant.id}`;
}
