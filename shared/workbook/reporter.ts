// A vitest reporter: after a run, a per-lab table (points, checks, the next failing check and its hint)
// and .workbook/results/results.json for the home screen and graders. Each lab's result carries the
// fingerprint of what the run graded (taken as the run starts), so the home screen can reuse it while
// nothing it graded has changed. As the run starts it type-checks the labs it runs (type-check.ts), beside
// the checks; a check that passed at run time but whose step's code TypeScript refuses is reported failed.
//   vitest run --reporter=default --reporter=./shared/workbook/reporter.ts     (what `npm test` runs)
import { join } from 'node:path';
import type { Reporter, TestModule, TestRunEndReason, TestSpecification, Vitest } from 'vitest/node';
import { labFingerprints } from './fingerprint.ts';
import { discoverLabs, loadLab } from './labs.ts';
import type { Lab } from './manifest.ts';
import { collectOutcomes, type TestOutcome } from './outcomes.ts';
import { displayPath, REPO_ROOT } from './repo.ts';
import { labResult, RESULTS_FILE, writeResults, type CheckOutcome, type LabResult, type WorkbookResults } from './results.ts';
import { formatResults } from './summary.ts';
import { targetName, targetRoot } from './target.ts';
import { mergeTypeChecks, refusedByTypes, startTypeCheck, typesOfLab, TYPES_AHEAD, type TypeCheck } from './type-check.ts';

export interface WorkbookReporterOptions {
  /** The workbook the run checks (default: this repository). */
  root?: string;
  /** Where to write results.json; `false` writes nothing. */
  outputFile?: string | false;
  /** Print the table (default: true). */
  print?: boolean;
  /** The WORKBOOK_TARGET the run grades (default: this process's). */
  target?: string;
}

export default class WorkbookReporter implements Reporter {
  private vitest: Vitest | undefined;
  private fingerprints = new Map<string, string>();
  private types: Promise<TypeCheck> | undefined;
  /** Resolves as the run ends (set as each run starts). */
  private ended: Promise<void> = Promise.resolve();
  private endRun: () => void = () => {};
  /** The results of the last run, for callers of the Node API. */
  results: WorkbookResults | undefined;

  constructor(private readonly options: WorkbookReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  private log(line: string): void {
    if (this.vitest) this.vitest.logger.log(line);
    else console.log(line);
  }

  // Before any check runs: a file saved during the run then makes the result stale, never the reverse.
  // The type check of the labs in the run starts here too, and runs beside the checks.
  async onTestRunStart(specifications: ReadonlyArray<TestSpecification> = []): Promise<void> {
    const root = this.options.root ?? REPO_ROOT;
    const target = this.options.target ?? targetName();
    this.types = undefined;
    this.ended = new Promise<void>((resolve) => (this.endRun = resolve));
    try {
      const labs = await discoverLabs(root);
      const places = { root, target: targetRoot({ WORKBOOK_TARGET: target }) };
      this.fingerprints = labFingerprints(labs, places);
      const running = new Set(specifications.map((specification) => labFolderOf(displayPath(specification.moduleId, root))));
      // The labs npm test type-checked ahead are read as the run ends, when their results are kept.
      const ahead = new Set((process.env[TYPES_AHEAD] ?? '').split(',').filter(Boolean));
      const now = typeCheckLabs(root, places.target, labs.filter((lab) => running.has(lab.slug) && !ahead.has(lab.slug)));
      const later = labs.filter((lab) => running.has(lab.slug) && ahead.has(lab.slug));
      this.types = later.length === 0 ? now : this.ended.then(async () => mergeTypeChecks(await now, await typeCheckLabs(root, places.target, later)));
    } catch {
      this.fingerprints = new Map(); // a broken manifest or target: vitest says why; these results are never reused
    }
  }

  /** The type check of this run's labs (undefined before the run starts, or when the labs could not be read). */
  typeCheck(): Promise<TypeCheck> | undefined {
    return this.types;
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    this.endRun();
    if (reason === 'interrupted') return;
    const root = this.options.root ?? REPO_ROOT;
    const types = await this.types;
    const results = await workbookResults(root, modules, this.options.target, types);
    const fingerprinted = results.labs.map((lab) => (this.fingerprints.has(lab.slug) ? { ...lab, fingerprint: this.fingerprints.get(lab.slug) } : lab));
    this.results = { ...results, labs: fingerprinted };
    if (this.options.outputFile !== false) writeResults(this.results, this.options.outputFile ?? RESULTS_FILE);
    // Vitest counted the refused checks as passed: the run failed all the same.
    const refused = this.results.labs.flatMap((lab) => lab.checks.filter((check) => check.typeError));
    if (refused.length > 0) process.exitCode = 1;
    if (this.options.print !== false && this.results.labs.length > 0) {
      for (const line of formatResults(this.results)) this.log(line);
      if (refused.length > 0) {
        const ids = refused.map((check) => check.id);
        const which = ids.length > 6 ? `${ids.slice(0, 6).join(', ')}, …` : ids.join(', ');
        this.log(`  ${ids.length === 1 ? 'A check' : `${ids.length} checks`} (${which}) passed at run time, but TypeScript refuses the code: counted as failed.`);
        this.log('');
      }
    }
    if (types?.problem && this.options.print !== false) this.log(`  ${types.problem}: their checks were graded at run time only.`);
  }
}

/** One type check of these labs' folders in the target (type-check.ts), started now. */
export function typeCheckLabs(root: string, target: string, labs: readonly Lab[]): Promise<TypeCheck> {
  return startTypeCheck(root, labs.map((lab) => ({ lab, folder: join(target, lab.slug) })));
}

const LAB_FILE = /^test\/(\d\d-[^/]+)\//;

/** The lab folder (`NN-slug`) of a check file, given relative to the root (`test/NN-slug/...`). */
export const labFolderOf = (file: string): string | undefined => LAB_FILE.exec(file)?.[1];

/** Groups a run's tests by lab and scores each lab against its manifest. */
export async function workbookResults(root: string, modules: ReadonlyArray<TestModule>, target = targetName(), types?: TypeCheck): Promise<WorkbookResults> {
  const { tests, moduleFailures } = collectOutcomes(modules, root);
  const byLab = new Map<string, TestOutcome[]>();
  const other = { passed: 0, failed: 0, skipped: 0 };
  for (const test of tests) {
    const folder = labFolderOf(test.file);
    if (folder) byLab.set(folder, [...(byLab.get(folder) ?? []), test]);
    else if (test.status === 'passed') other.passed++;
    else if (test.status === 'skipped') other.skipped++;
    else other.failed++;
  }
  for (const failure of moduleFailures) {
    const folder = labFolderOf(failure.file);
    if (folder && !byLab.has(folder)) byLab.set(folder, []);
    else if (!folder) other.failed++;
  }

  const labs: LabResult[] = [];
  for (const folder of [...byLab.keys()].sort()) {
    const lab = await loadLab(root, folder).catch(() => undefined);
    if (!lab) continue; // a broken manifest: its test files failed to load too, and vitest shows why
    const outcomes = new Map<string, CheckOutcome>();
    const labTypes = types && typesOfLab(types, folder);
    for (const test of byLab.get(folder) ?? []) {
      if (!test.check) continue;
      const { status, file, message, fakeTenantRequests } = test;
      const outcome: CheckOutcome = { status, file, ...(message ? { message } : {}), ...(fakeTenantRequests === undefined ? {} : { fakeTenantRequests }) };
      outcomes.set(test.check.check, refusedByTypes(outcome, test.check, labTypes));
    }
    // A test file that failed to load ran none of its checks: show why.
    const failure = moduleFailures.find((candidate) => candidate.file.startsWith(`test/${folder}/`));
    const result = labResult(lab, outcomes, failure ? { status: 'failed', message: failure.message, file: failure.file } : undefined);
    labs.push({ ...result, seconds: secondsOf(modules.filter((module) => labFolderOf(displayPath(module.moduleId, root)) === folder)) });
  }
  return { version: 1, target, finishedAt: new Date().toISOString(), labs, other };
}

/** The time vitest spent on these check files: loading them, their setup, their tests and hooks. */
function secondsOf(modules: ReadonlyArray<TestModule>): number {
  const ms = modules.reduce((sum, module) => {
    const { setupDuration, collectDuration, duration } = module.diagnostic();
    return sum + setupDuration + collectDuration + duration;
  }, 0);
  return Math.round(ms / 100) / 10;
}
