// Reads a vitest run (its test modules) into plain outcomes: one per test, one per module that failed
// to load. The reporter and verify both build on these.
import type { SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CheckMeta } from './check.ts';
import { compactDiff } from './failure-diff.ts';
import { displayPath, relativizePaths } from './repo.ts';
import type { CheckOutcome } from './results.ts';

export interface TestOutcome extends CheckOutcome {
  project: string;
  /** The test file, relative to the root. */
  file: string;
  name: string;
  /** The manifest entry, when the test was written with check(). */
  check?: CheckMeta;
}

export interface ModuleFailure {
  project: string;
  file: string;
  message: string;
}

export interface RunOutcomes {
  tests: TestOutcome[];
  moduleFailures: ModuleFailure[];
}

/** The project and test file a module stands for (run-checks.ts: a stub stands for a check file on its target). */
export type SourceOf = (module: TestModule) => { project: string; moduleId: string };

const itself: SourceOf = (module) => ({ project: module.project.name, moduleId: module.moduleId });

export function collectOutcomes(modules: ReadonlyArray<TestModule>, root: string, sourceOf: SourceOf = itself): RunOutcomes {
  const tests: TestOutcome[] = [];
  const moduleFailures: ModuleFailure[] = [];
  for (const module of modules) {
    const { project, moduleId } = sourceOf(module);
    const file = displayPath(moduleId, root);
    const [error] = module.errors();
    if (error) moduleFailures.push({ project, file, message: failureMessage(error, root) });
    for (const test of module.children.allTests()) tests.push({ project, file, ...testOutcome(test, root) });
  }
  return { tests, moduleFailures };
}

/** One test's status and message, as every report of the workbook reads them. */
export function testOutcome(test: TestCase, root: string): Omit<TestOutcome, 'project' | 'file'> {
  const result = test.result();
  const { workbook: check, fakeTenantRequests } = test.meta();
  const base = { name: test.name, ...(check ? { check } : {}), ...(fakeTenantRequests === undefined ? {} : { fakeTenantRequests }) };
  switch (result.state) {
    case 'passed':
      return { ...base, status: 'passed' };
    case 'skipped': {
      // Vitest also skips the tests of a suite whose beforeAll hook failed, which the learner's code can
      // cause (a server that does not start): those failed, with that error. A skip is "not checked
      // here" only when the check chose it (context.skip(reason), skipEveryCheckOfThisFile).
      const error = setupError(test);
      if (error) return { ...base, status: error.name === 'TodoError' ? 'not-started' : 'failed', message: failureMessage(error, root) };
      const reason = result.note ?? check?.skipReason;
      return { ...base, status: 'skipped', ...(reason ? { message: reason } : {}) };
    }
    case 'pending':
      return { ...base, status: 'not-run' };
    case 'failed': {
      const [error] = result.errors;
      const status = error?.name === 'TodoError' ? 'not-started' : 'failed';
      return { ...base, status, message: error ? failureMessage(error, root) : 'failed' };
    }
  }
}

/** The first error of the suites around a test (a failed beforeAll hook), nearest first. */
function setupError(test: TestCase): SerializedError | undefined {
  for (let suite: TestCase['parent'] | undefined = test.parent; suite; suite = suite.type === 'suite' ? suite.parent : undefined) {
    const [error] = suite.errors();
    if (error) return error;
  }
  return undefined;
}

/**
 * The error's message (never its stack) and, for an assertion on structured values, the fields that
 * differ (`failure-diff.ts`), with repository paths made relative.
 */
export function failureMessage(error: SerializedError, root: string): string {
  const name = error.name && error.name !== 'Error' && error.name !== 'AssertionError' && error.name !== 'TodoError' ? `${error.name}: ` : '';
  const diff = compactDiff(error).map((line) => `  ${line}`);
  return relativizePaths([`${name}${error.message}`.trim(), ...diff].join('\n'), root).trim();
}

export function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
