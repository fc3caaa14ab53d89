import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { END_TO_END, LAB_CHECKS, LABS_PROJECT, SHARED_TESTS } from './shared/workbook/projects.ts';

// Three projects: every lab's checks (`npx vitest test/02-public-client` runs one lab), the shared
// code's own tests (test/shared/), and the end-to-end tests that grade the whole workbook over again.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/shared/**/*.test.ts'], exclude: [...configDefaults.exclude, `${END_TO_END}**`], ...SHARED_TESTS } },
      { extends: true, test: { name: 'end-to-end', include: [`${END_TO_END}**/*.test.ts`], ...SHARED_TESTS } },
      { extends: true, test: { name: LABS_PROJECT, include: ['test/[0-9][0-9]-*/**/*.test.ts'], ...LAB_CHECKS } },
    ],
    // The checks mostly wait (on loopback servers, child processes, the fake tenant), so even on two
    // cores two workers finish well ahead of vitest's default of cores - 1.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
