// A vitest reporter: after a run, a per-lab table (points, checks, the next failing check and its hint)
// and .workbook/results/results.json for the home screen and graders. Each lab's result carries the
// fingerprint of what the run graded (taken as the run starts), so the home screen can reuse it while
// nothing it graded has changed.
//   vitest run --reporter=default --reporter=./shared/workbook/reporter.ts     (what `npm test` runs)
import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { labFingerprints } from './fingerprint.ts';
import { discoverLabs, loadLab } from './labs.ts';
import { collectOutcomes, type TestOutcome } from './outcomes.ts';
import { displayPath, REPO_ROOT } from './repo.ts';
import { labResult, RESULTS_FILE, writeResults, type CheckOutcome, type LabResult, type WorkbookResults } from './results.ts';
import { formatResults } from './summary.ts';
import { targetName, targetRoot } from './target.ts';

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
  async onTestRunStart(): Promise<void> {
    const root = this.options.root ?? REPO_ROOT;
    const target = this.options.target ?? targetName();
    try {
      this.fingerprints = labFingerprints(await discoverLabs(root), { root, target: targetRoot({ WORKBOOK_TARGET: target }) });
    } catch {
      this.fingerprints = new Map(); // a broken manifest or target: vitest says why; these results are never reused
    }
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    if (reason === 'interrupted') return;
    const root = this.options.root ?? REPO_ROOT;
    const results = await workbookResults(root, modules, this.options.target);
    const fingerprinted = results.labs.map((lab) => (this.fingerprints.has(lab.slug) ? { ...lab, fingerprint: this.fingerprints.get(lab.slug) } : lab));
    this.results = { ...results, labs: fingerprinted };
    if (this.options.outputFile !== false) writeResults(this.results, this.options.outputFile ?? RESULTS_FILE);
    if (this.options.print !== false && this.results.labs.length > 0) {
      for (const line of formatResults(this.results)) this.log(line);
    }
  }
}

const LAB_FILE = /^test\/(\d\d-[^/]+)\//;

/** The lab folder (`NN-slug`) of a check file, given relative to the root (`test/NN-slug/...`). */
export const labFolderOf = (file: string): string | undefined => LAB_FILE.exec(file)?.[1];

/** Groups a run's tests by lab and scores each lab against its manifest. */
export async function workbookResults(root: string, modules: ReadonlyArray<TestModule>, target = targetName()): Promise<WorkbookResults> {
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
    for (const test of byLab.get(folder) ?? []) {
      if (!test.check) continue;
      const { status, file, message, fakeTenantRequests } = test;
      outcomes.set(test.check.check, { status, file, ...(message ? { message } : {}), ...(fakeTenantRequests === undefined ? {} : { fakeTenantRequests }) });
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
