// How each kind of vitest project runs, for vitest.config.ts and for the workbook's own runs alike.
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

type ProjectOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/**
 * The shared code's tests clean up after themselves (each closes its fake tenant, servers and timers),
 * so their files share a worker's module cache: msal, msw and jose load once per worker, not per file.
 */
export const SHARED_TESTS: ProjectOptions = { isolate: false, pool: 'threads' };

/** The setup file that gives each check file fresh lab modules (fresh-modules.ts). */
export const FRESH_MODULES = fileURLToPath(new URL('./fresh-modules.ts', import.meta.url));

/**
 * Lab checks, on a learner's copy as on our solutions: a worker keeps the libraries it has loaded
 * (msal, msw, the MCP SDK and express load once per worker, not once per check file: most of a check
 * run's time used to go there), while every check file imports the lab's code afresh, so no module
 * state of a learner's file leaks from one check file into the next (fresh-modules.ts).
 *
 * Workers are processes, not threads: wrong code (a learner's, a mutant's) may leave a server with
 * traffic in flight when its worker ends, and Node 20 aborts the whole process when a worker thread is
 * terminated in the middle of an HTTP read ("FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal", seen
 * in the mutants' run). A process ends alone. Measured on the solutions: 1% more wall time than threads.
 */
export const LAB_CHECKS: ProjectOptions = { isolate: false, pool: 'forks', setupFiles: [FRESH_MODULES] };

/** The one project that holds every lab's checks; `vitest run test/NN-slug` selects one lab. */
export const LABS_PROJECT = 'labs';

/** The check files of these labs, as vitest filters (`test/NN-slug/`), relative to the root. */
export const labFilters = (slugs: readonly string[]): string[] => slugs.map((slug) => `test/${slug}/`);

/**
 * The shared tests that grade the whole workbook over again (the classroom edition, end to end): CI
 * runs them (`npm run verify -- --end-to-end`); a plain `npm run verify` leaves them out to stay fast.
 */
export const END_TO_END = 'test/shared/end-to-end/';
