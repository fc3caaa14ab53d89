// How each kind of vitest project runs, for vitest.config.ts and for verify's own runs alike.
import type { TestProjectInlineConfiguration } from 'vitest/config';

type ProjectOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/**
 * The shared code's tests clean up after themselves (each closes its fake tenant, servers and timers),
 * so their files may share a worker's module cache: msal, msw and jose load once per worker, not per file.
 * Verify runs the lab checks this way too, on our own solutions and pristine starters (it takes ~50 s
 * instead of ~80 s on two cores). Grading a learner's copy (npm test, npm start, npm run grade) keeps
 * vitest's default isolation: a learner's module state must not leak between files.
 */
export const SHARED_TESTS: ProjectOptions = { isolate: false, pool: 'threads' };
