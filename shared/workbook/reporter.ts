// A vitest reporter: after a run, a per-lab table (points, checks, the next failing check and its hint)
// and .workbook/results/results.json for the home screen and graders.
//   vitest run --reporter=default --reporter=./shared/workbook/reporter.ts     (what `npm test` runs)
import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { loadLab } from './labs.ts';
import { collectOutcomes, type TestOutcome } from './outcomes.ts';
import { REPO_ROOT } from './repo.ts';
import { labResult, RESULTS_FILE, writeResults, type CheckOutcome, type LabResult, type WorkbookResults } from './results.ts';
import { formatResults } from './summary.ts';

export interface WorkbookReporterOptions {
  /** The workbook the run checks (default: this repository). */
  root?: string;
  /** Where to write results.json; `false` writes nothing. */
  outputFile?: string | false;
  /** Print the table (default: true). */
  print?: boolean;
}

export default class WorkbookReporter implements Reporter {
  private vitest: Vitest | undefined;
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

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    if (reason === 'interrupted') return;
    const root = this.options.root ?? REPO_ROOT;
    this.results = await workbookResults(root, modules);
    if (this.options.outputFile !== false) writeResults(this.results, this.options.outputFile ?? RESULTS_FILE);
    if (this.options.print !== false && this.results.labs.length > 0) {
      for (const line of formatResults(this.results)) this.log(line);
    }
  }
}

const LAB_FILE = /^test\/(\d\d-[^/]+)\//;

/** Groups a run's tests by lab and scores each lab against its manifest. */
export async function workbookResults(root: string, modules: ReadonlyArray<TestModule>): Promise<WorkbookResults> {
  const { tests, moduleFailures } = collectOutcomes(modules, root);
  const byLab = new Map<string, TestOutcome[]>();
  const other = { passed: 0, failed: 0, skipped: 0 };
  for (const test of tests) {
    const folder = LAB_FILE.exec(test.file)?.[1];
    if (folder) byLab.set(folder, [...(byLab.get(folder) ?? []), test]);
    else if (test.status === 'passed') other.passed++;
    else if (test.status === 'skipped') other.skipped++;
    else other.failed++;
  }
  for (const failure of moduleFailures) {
    const folder = LAB_FILE.exec(failure.file)?.[1];
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
    labs.push(labResult(lab, outcomes, failure ? { status: 'failed', message: failure.message, file: failure.file } : undefined));
  }
  const target = process.env.WORKBOOK_TARGET?.trim() || 'labs';
  return { version: 1, target, finishedAt: new Date().toISOString(), labs, other };
}
