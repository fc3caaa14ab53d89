// Where a lab's check time goes, for `npm run bench`: each lab's checks run once on the solutions through
// vitest's Node API (one run per lab, so a lab's wall time is its own), and vitest's own diagnostics
// split that time into importing the check files (collect), the files' beforeAll/afterAll hooks, and the
// checks themselves, with the three slowest checks named.
import type { Reporter, TestModule } from 'vitest/node';
import { labFolders } from '../labs.ts';
import { displayPath, REPO_ROOT } from '../repo.ts';
import { runCheckProjects } from '../run-checks.ts';

export interface SlowCheck {
  /** The check's name as vitest has it: `02.4.1 over stdio, ...`. */
  name: string;
  /** The check file, relative to the root. */
  file: string;
  ms: number;
}

export interface LabBreakdown {
  /** The lab folder, `NN-slug`. */
  lab: string;
  /** From the run's start to its end, vitest's start-up and both workers included. */
  wallMs: number;
  /** Sum over the lab's check files of importing each file (its modules and suite callbacks). */
  collectMs: number;
  /** Sum over the files of what is not a check: beforeAll/afterAll (the fake tenant, servers, bridges). */
  hookMs: number;
  /** Sum of the checks' own durations (with their beforeEach/afterEach). */
  testMs: number;
  /** The three slowest checks. */
  slowest: SlowCheck[];
  /** Check files, checks, and those that did not pass (a breakdown of a failing run measures something else). */
  files: number;
  checks: number;
  failed: number;
}

export interface BreakdownOptions {
  root?: string;
  /** Lab folders to measure (default: every lab). */
  labs?: string[];
}

/** Runs each lab's checks on the solutions once and says where the time went. */
export async function benchBreakdown(options: BreakdownOptions = {}): Promise<LabBreakdown[]> {
  const root = options.root ?? REPO_ROOT;
  const breakdowns: LabBreakdown[] = [];
  for (const lab of options.labs ?? labFolders(root)) {
    let modules: ReadonlyArray<TestModule> = [];
    const reporter: Reporter = {
      onTestRunEnd(ended) {
        modules = ended;
      },
    };
    const started = performance.now();
    await runCheckProjects(root, [{ name: `${lab}@solutions`, include: [`test/${lab}/**/*.test.ts`], target: 'solutions' }], { reporters: [reporter] });
    breakdowns.push({ lab, wallMs: performance.now() - started, ...breakdownOf(modules, root) });
  }
  return breakdowns;
}

/** The sums and the slowest checks of some test modules (vitest's TestModule and TestCase diagnostics). */
export function breakdownOf(modules: ReadonlyArray<TestModule>, root = REPO_ROOT): Omit<LabBreakdown, 'lab' | 'wallMs'> {
  let [collectMs, hookMs, testMs, checks, failed] = [0, 0, 0, 0, 0];
  const cases: SlowCheck[] = [];
  for (const module of modules) {
    const diagnostic = module.diagnostic();
    let moduleTests = 0;
    for (const test of module.children.allTests()) {
      const { duration } = test.diagnostic() ?? { duration: 0 };
      moduleTests += duration;
      checks += 1;
      if (test.result().state !== 'passed') failed += 1;
      cases.push({ name: test.fullName, file: displayPath(module.moduleId, root), ms: duration });
    }
    collectMs += diagnostic.collectDuration;
    testMs += moduleTests;
    // A module's duration is its tests and hooks together; what the tests do not account for is hooks.
    hookMs += Math.max(0, diagnostic.duration - moduleTests);
  }
  const slowest = cases.sort((a, b) => b.ms - a.ms).slice(0, 3);
  return { collectMs, hookMs, testMs, slowest, files: modules.length, checks, failed };
}

/** A few lines per lab, for a terminal. */
export function formatBreakdown(breakdowns: readonly LabBreakdown[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return breakdowns.flatMap((lab) => [
    `  ${lab.lab.padEnd(24)} wall ${s(lab.wallMs).padStart(7)}  import ${s(lab.collectMs).padStart(7)}  hooks ${s(lab.hookMs).padStart(7)}  checks ${s(lab.testMs).padStart(7)}  (${lab.checks} checks in ${lab.files} files${lab.failed ? `, ${lab.failed} not passed` : ''})`,
    ...lab.slowest.map((check) => `    ${s(check.ms).padStart(7)}  ${check.name}  (${check.file})`),
  ]);
}
