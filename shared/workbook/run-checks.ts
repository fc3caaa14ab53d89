// Runs check projects through vitest's Node API, each against its own target, in one vitest run
// (so the 2 cores are shared across all of them), and hands back the test modules.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { glob } from 'tinyglobby';
import { configDefaults } from 'vitest/config';
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
  /** The project and the test file a module stands for (a shared-worker stub stands for a check file on its target). */
  sourceOf(module: TestModule): ModuleSource;
}

export interface ModuleSource {
  project: string;
  /** The test file's absolute path. */
  moduleId: string;
}

export interface RunCheckOptions {
  /** Reporters of the run. When checks of several targets share workers, the modules they see are stubs: read them through `sourceOf`. */
  reporters?: Reporter[];
  /** Vitest's workers (default: the config's). */
  maxWorkers?: number;
}

export async function runCheckProjects(root: string, projects: CheckProject[], options: RunCheckOptions = {}): Promise<CheckRunResult> {
  const shared = await shareWorkers(root, projects);
  const sourceOf = (module: TestModule): ModuleSource => shared?.sources.get(module.moduleId) ?? { project: module.project.name, moduleId: module.moduleId };
  let result: CheckRunResult = { modules: [], unhandledErrors: [], sourceOf };
  const collector: Reporter = {
    onTestRunEnd(modules, errors) {
      result = { modules, unhandledErrors: errors.map((error) => error.message), sourceOf };
    },
  };
  const exitCode = process.exitCode;
  try {
    const { config, viteOverrides } = checkRunConfig(root, shared?.projects ?? projects, { ...options, reporters: [collector, ...(options.reporters ?? [])] });
    const vitest = await startVitest('test', [], config, viteOverrides);
    await vitest.close();
  } finally {
    if (shared) rmSync(shared.dir, { recursive: true, force: true });
  }
  // Vitest reports failures through process.exitCode; the caller decides what a failure means.
  process.exitCode = exitCode;
  return result;
}

/** The project of lab checks in which several targets share workers. */
const SHARED_WORKERS_PROJECT = 'checks';

/**
 * Lab checks against several targets (verify's solutions and starters, one copy per mutant) share their
 * workers. Vitest gives every project workers of its own, and a worker's first check file pays for
 * loading the libraries (msal, the MCP SDK, express, msw: about a second and a half of CPU), which a
 * run of 190 mutant projects paid 190 times over. So the projects become one: for each check file and
 * target, a generated stub sets WORKBOOK_TARGET and imports the check file, and every check file still
 * imports the lab's code afresh (fresh-modules.ts). Undefined when there is nothing to share.
 */
async function shareWorkers(root: string, projects: CheckProject[]) {
  const labChecks = projects.filter((project) => project.kind !== 'shared' && project.target);
  if (labChecks.length < 2) return undefined;
  const dir = join(root, '.workbook', 'runs', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  const sources = new Map<string, ModuleSource>();
  const include: string[] = [];
  for (const [index, project] of labChecks.entries()) {
    const files = await glob(project.include, { cwd: root, dot: true, absolute: true, expandDirectories: false, ignore: [...configDefaults.exclude, ...(project.exclude ?? [])] });
    for (const file of files.sort()) {
      const stub = join(dir, String(index), relative(root, file));
      mkdirSync(dirname(stub), { recursive: true });
      writeFileSync(stub, checkStub(file, project.target!, root));
      sources.set(stub.replaceAll('\\', '/'), { project: project.name, moduleId: file });
      include.push(relative(root, stub).replaceAll('\\', '/'));
    }
  }
  const pooled: CheckProject = { name: SHARED_WORKERS_PROJECT, include };
  return { dir, sources, projects: [...projects.filter((project) => !labChecks.includes(project)), pooled] };
}

/** A test file that runs `checkFile` on `target` (absolute, or labs|solutions, as WORKBOOK_TARGET takes it). */
function checkStub(checkFile: string, target: string, root: string): string {
  return [
    `// Generated by shared/workbook/run-checks.ts for one run: ${relative(root, checkFile)} on ${target}.`,
    `process.env.WORKBOOK_TARGET = ${JSON.stringify(target)};`,
    `await import(${JSON.stringify(pathToFileURL(checkFile).href)});`,
    '',
  ].join('\n');
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
