// Runs check projects through vitest's Node API, each against its own target, in one vitest run
// (so the 2 cores are shared across all of them), and hands back the test modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startVitest, type Reporter, type TestModule, type TestUserConfig as UserConfig } from 'vitest/node';
import { LAB_CHECKS, SHARED_TESTS } from './projects.ts';
import { REPO_ROOT } from './repo.ts';

export interface CheckProject {
  /** A project name, unique in the run: "03-confidential-client@solutions". */
  name: string;
  /** Globs relative to the root: ["test/03-confidential-client/**\/*.test.ts"]. */
  include: string[];
  /** Globs relative to the root that the include leaves out. */
  exclude?: string[];
  /** WORKBOOK_TARGET for this project's workers (absolute path, or labs|solutions). */
  target?: string;
  /** Lab checks (LAB_CHECKS: fresh lab modules for each file), or the shared code's own tests (SHARED_TESTS). */
  kind?: 'checks' | 'shared';
}

export interface CheckRunResult {
  modules: ReadonlyArray<TestModule>;
  /** Errors vitest reported outside any test (a crashed worker, an unhandled rejection). */
  unhandledErrors: string[];
}

export interface RunCheckOptions {
  reporters?: Reporter[];
  /** Vitest's workers (default: the config's). */
  maxWorkers?: number;
}

export async function runCheckProjects(root: string, projects: CheckProject[], options: RunCheckOptions = {}): Promise<CheckRunResult> {
  let result: CheckRunResult = { modules: [], unhandledErrors: [] };
  const collector: Reporter = {
    onTestRunEnd(modules, errors) {
      result = { modules, unhandledErrors: errors.map((error) => error.message) };
    },
  };
  const exitCode = process.exitCode;
  const { config, viteOverrides } = checkRunConfig(root, projects, { ...options, reporters: [collector, ...(options.reporters ?? [])] });
  const vitest = await startVitest('test', [], config, viteOverrides);
  await vitest.close();
  // Vitest reports failures through process.exitCode; the caller decides what a failure means.
  process.exitCode = exitCode;
  return result;
}

/**
 * What vitest is given to run these projects, by `runCheckProjects` here and by watch mode's vitest,
 * which stays open for a whole session (learner/watch-runner.ts).
 */
export function checkRunConfig(root: string, projects: CheckProject[], options: RunCheckOptions = {}) {
  const configFile = join(root, 'vitest.config.ts');
  const config: UserConfig = {
    root,
    // The repository's config (timeouts, setup files) applies to every project that extends it.
    config: existsSync(configFile) ? configFile : false,
    watch: false,
    silent: true,
    passWithNoTests: true,
    reporters: options.reporters ?? [],
    ...(options.maxWorkers ? { maxWorkers: options.maxWorkers } : {}),
    projects: projects.map((project) => ({
      extends: existsSync(configFile) ? configFile : undefined,
      test: {
        name: project.name,
        root,
        include: project.include,
        ...(project.exclude ? { exclude: project.exclude } : {}),
        env: project.target ? { WORKBOOK_TARGET: project.target } : {},
        ...(project.kind === 'shared' ? SHARED_TESTS : LAB_CHECKS),
      },
    })),
  };
  return { config, viteOverrides: { cacheDir: join(REPO_ROOT, 'node_modules', '.vite') } }; // not in the checked workbook's folder
}
