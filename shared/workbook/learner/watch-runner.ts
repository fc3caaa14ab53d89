// Watch mode's vitest: one instance for the whole session, so its config, its Vite server and the code
// it has transformed are ready on every save. A run takes the lab's check files in two parts when asked:
// the files of the step being worked on first (their verdict goes out at once), then the rest of the lab.
// Lab code stays isolated as in every other run (LAB_CHECKS: fresh lab modules for each check file).
// Each run type-checks the lab once, beside its checks (type-check.ts), as `npm test` does.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createVitest, type Reporter, type TestCase, type TestModule, type TestSpecification } from 'vitest/node';
import type { Lab } from '../manifest.ts';
import { LABS_PROJECT } from '../projects.ts';
import { REPO_ROOT } from '../repo.ts';
import type { WorkbookResults } from '../results.ts';
import { typeCheckLabs, workbookResults } from '../reporter.ts';
import { checkRunConfig } from '../run-checks.ts';

export interface WatchRunnerOptions {
  /** The folder the checks grade (WORKBOOK_TARGET for the workers): `targetRoot()`. */
  target: string;
  /** The learner's folders (the lab's, and those of the labs it builds on): read afresh on every run. */
  folders: string[];
  /** The workbook whose `test/` holds the checks (default: this repository). */
  root?: string;
  /** How check files end (default `.test.ts`; the fixture workbook's end in `.check.ts`). */
  testSuffix?: string;
  /** Called as each check ends (the progress dots). */
  onCheck?: (test: TestCase) => void;
  /** Vitest's workers (default: the config's). */
  maxWorkers?: number;
}

export interface WatchRunner {
  /**
   * Runs the lab's checks: `first` (check files relative to the root) on their own, their results handed
   * to `onFirst`, then the other files; or every file at once when `first` is empty. Resolves with the
   * results of every file, or undefined when `cancel()` stopped the run.
   */
  run(first: string[], onFirst?: (results: WorkbookResults) => void): Promise<WorkbookResults | undefined>;
  /** Stops the run under way: the checks running now finish (and close what they opened), no more start. */
  cancel(): Promise<void>;
  /** Ends the session: stops any run, then closes vitest (its workers and its Vite server). */
  close(): Promise<void>;
}

export async function startWatchRunner(lab: Lab, options: WatchRunnerOptions): Promise<WatchRunner> {
  const root = options.root ?? REPO_ROOT;
  const include = [`test/${lab.slug}/**/*${options.testSuffix ?? '.test.ts'}`];
  const progress: Reporter = { onTestCaseResult: (test) => options.onCheck?.(test) };
  const { config, viteOverrides } = checkRunConfig(root, [{ name: LABS_PROJECT, include, target: options.target }], { reporters: [progress], maxWorkers: options.maxWorkers });
  const vitest = await withoutSignalHandlers(() => createVitest('test', config, viteOverrides));
  await vitest.standalone(); // reporters ready, check files found; nothing runs yet
  let cancelled = false;

  /** One vitest run of these files; the test modules it reported. */
  const runFiles = async (specifications: TestSpecification[]): Promise<TestModule[]> => {
    if (cancelled) return [];
    const exitCode = process.exitCode;
    await vitest.runTestSpecifications(specifications);
    process.exitCode = exitCode; // vitest reports failing checks through the exit code: they are the learner's work
    return specifications.flatMap((specification) => specification.testModule ?? []);
  };

  return {
    async run(first, onFirst) {
      cancelled = false;
      // The Vite server keeps what it transformed: forget the learner's files, or a run would test the
      // code as it was before the save.
      for (const file of options.folders.flatMap(filesIn)) vitest.invalidateFile(file);
      const types = typeCheckLabs(root, options.target, [lab]);
      let typesDone: Awaited<typeof types> | undefined;
      void types.then((done) => (typesDone = done));
      const all = await vitest.globTestSpecifications();
      const isFirst = (specification: TestSpecification) => first.includes(relative(root, specification.moduleId).split(sep).join('/'));
      const firstPart = all.filter(isFirst);
      const inTwoParts = firstPart.length > 0 && firstPart.length < all.length;
      const modules: TestModule[] = [];
      if (inTwoParts) {
        modules.push(...(await runFiles(firstPart)));
        if (cancelled) return undefined;
        // The edited step's verdict comes as soon as its checks have run, with the type check if it has
        // finished by then; the whole lab's verdict below waits for it, so a type error is never missed.
        onFirst?.(await workbookResults(root, modules, undefined, typesDone));
        if (cancelled) return undefined;
      }
      modules.push(...(await runFiles(inTwoParts ? all.filter((specification) => !isFirst(specification)) : all)));
      return cancelled ? undefined : workbookResults(root, modules, undefined, await types);
    },
    async cancel() {
      cancelled = true;
      await vitest.cancelCurrentRun('keyboard-input');
    },
    async close() {
      cancelled = true;
      await vitest.cancelCurrentRun('keyboard-input');
      await vitest.close();
    },
  };
}

/**
 * Vitest's logger ends the process 1 ms after Ctrl-C (SIGINT) or SIGTERM: right for `vitest run`, but in
 * a session it would cut off the checks running then, and orphan the processes they started (a stdio
 * server, a browser). The session's owner quits on those signals itself (cli-watch.ts), once they finish.
 */
async function withoutSignalHandlers<T>(create: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Set(signals.flatMap((signal) => process.listeners(signal)));
  const created = await create();
  for (const signal of signals) for (const listener of process.listeners(signal)) if (!before.has(listener)) process.off(signal, listener);
  return created;
}

/** Every file under a folder, as Vite's module graph names them: forward slashes, on Windows too. */
function filesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).split(sep).join('/'));
}
