import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SHARED_TESTS } from './shared/workbook/projects.ts';

// One vitest project per lab (test/NN-slug/) plus one for the shared code (test/shared/).
const labDirs = readdirSync(new URL('./test/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
  .map((entry) => entry.name)
  .sort();

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/shared/**/*.test.ts'], ...SHARED_TESTS } },
      ...labDirs.map((dir) => ({ extends: true as const, test: { name: dir, include: [`test/${dir}/**/*.test.ts`] } })),
    ],
    // The checks mostly wait (on loopback servers, child processes, the fake tenant), so even on two
    // cores two workers finish well ahead of vitest's default of cores - 1.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
