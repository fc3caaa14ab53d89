// `npm start -- watch [NN]`: re-runs the checks of lab NN (default: the lab of the next failing check)
// each time a file in its folder changes (or in the folder of a lab it builds on: lab 04 runs on your
// lab 03), and shows only the first failing check, its message and its hints, or a line saying the lab
// passes. A save of a step's file checks that step first and shows its verdict at once, then the rest
// of the lab. One vitest stays open for the whole session (watch-runner.ts). Keys: r re-run, h one more
// hint, q quit.
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { fingerprintNow, freshResults, recordLabResult } from './cli-checks.ts';
import { formatNoHint, labToWorkOn } from './cli-hint.ts';
import { labsBuiltOn } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { noteCompleted, readProgress, revealHint, writeProgress } from './progress.ts';
import { displayPath, REPO_ROOT } from '../repo.ts';
import { labResult, nextCheck, readResults, score, type CheckResult, type LabResult, type WorkbookResults } from '../results.ts';
import { targetRoot } from '../target.ts';
import { focusOf, readLabFiles, stepsEdited, type Focus } from './watch-focus.ts';
import { startWatchRunner, type WatchRunner } from './watch-runner.ts';
import { formatHintLines, formatLabLine, formatStep, formatWatch } from './watch-screen.ts';

/** Saving a file often writes it more than once: wait this long after the last change. */
const DEBOUNCE_MS = 100;

export type KeyAction = 'rerun' | 'hint' | 'quit';

export function keyAction(key: string): KeyAction | undefined {
  if (key === 'r' || key === 'R') return 'rerun';
  if (key === 'h' || key === 'H') return 'hint';
  if (key === 'q' || key === 'Q' || key === '\u0003' /* Ctrl-C: raw mode turns it into a key */) return 'quit';
  return undefined;
}

export interface WatchOptions {
  /** The workbook whose `test/` holds the checks (default: this repository; the tests use a fixture). */
  root?: string;
  /** How its check files end (default `.test.ts`). */
  testSuffix?: string;
}

export async function watch(labs: Lab[], chosen?: Lab, options: WatchOptions = {}): Promise<number> {
  const lab = chosen ?? labToWorkOn(labs, freshResults(labs) ?? readResults());
  if (!lab) {
    console.log('There are no labs yet.');
    return 1;
  }
  const root = options.root ?? REPO_ROOT;
  const labFolder = join(targetRoot(), lab.slug);
  const folders = [lab, ...labsBuiltOn(lab, labs)].map((each) => join(targetRoot(), each.slug));
  const shown = folders.map((folder) => `${displayPath(folder)}/`).join(' and ');
  const dot = (state: string) => process.stdout.write(state === 'passed' ? pc.green('·') : state === 'failed' ? pc.red('·') : pc.dim('·'));
  const runner = await startWatchRunner(lab, { target: targetRoot(), folders, root, testSuffix: options.testSuffix, onCheck: (test) => dot(test.result().state) });
  let latest: LabResult | undefined;
  /** The failing check on the screen: what `h` gives a hint for. */
  let onScreen: CheckResult | undefined;
  /** The lab folder's files as the last finished run checked them; at the start, as found (so the first run and `r` check the whole lab). */
  let checked = readLabFiles(labFolder);
  let running: Promise<void> | undefined;
  let again = false;
  let quitting = false;

  /** One run: the check files of the steps a save edited first, then the rest; or the whole lab at once. */
  const checkOnce = async (): Promise<void> => {
    const now = readLabFiles(labFolder);
    const focus = focusOf(lab, stepsEdited(lab, checked, now), root, options.testSuffix);
    process.stdout.write(pc.dim(focus ? `Checking step ${focus.steps.map((step) => step.id).join(', ')}: ${focusNames(focus)} ` : `Checking lab ${lab.id} `));
    let stepCheck: CheckResult | undefined;
    const fingerprint = fingerprintNow(lab, labs);
    const results = await runner.run(focus?.files ?? [], (first) => {
      const stepResult = checksThatRan(labOf(lab, first));
      stepCheck = nextCheck(stepResult);
      onScreen = stepCheck;
      console.log(`\n\n${formatStep(lab, focus!.steps, stepResult, readProgress(), labs).join('\n')}`);
      process.stdout.write(pc.dim(`Checking the rest of lab ${lab.id} `));
    });
    process.stdout.write('\n\n');
    if (!results) return void (quitting || console.log(pc.dim('Stopped: checking again from the start.')));
    checked = now;
    latest = recordLabResult(lab, results, fingerprint);
    noteCompleted(results.labs, results.target);
    // The step's failing check is on the screen already: the lab's line adds only how many pass.
    if (stepCheck) return console.log(formatLabLine(lab, latest).join('\n'));
    onScreen = nextCheck(latest);
    console.log(formatWatch(lab, latest, readProgress(), labs).join('\n'));
  };

  // One run at a time; a change during a run stops it (its running checks finish) and runs again.
  const rerun = (): void => {
    if (running) {
      again = true;
      void runner.cancel();
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await checkOnce();
        } catch (error) {
          console.log(pc.red(`The checks could not run: ${(error as Error).message}`));
        }
      } while (again && !quitting);
    })().finally(() => (running = undefined));
  };

  const showHint = (): void => {
    if (!latest && !onScreen) return void console.log(pc.dim('The first run has not finished yet: press h again in a moment.'));
    if (!onScreen) return void console.log(formatNoHint(lab, latest!).join('\n'));
    const { progress, shown, revealed } = revealHint(readProgress(), onScreen);
    writeProgress(progress);
    console.log(formatHintLines(onScreen, shown).join('\n'));
    if (!revealed) console.log(pc.yellow(`  No more hints for ${onScreen.id}.`));
  };

  return new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const watchers: FSWatcher[] = [];
    try {
      for (const folder of folders) {
        const watcher = watchFolder(folder, { recursive: true }, () => {
          clearTimeout(timer);
          timer = setTimeout(rerun, DEBOUNCE_MS);
        });
        watcher.on('error', (error) => console.log(pc.yellow(`Stopped watching ${displayPath(folder)}/ (${error.message}): press r to re-run.`)));
        watchers.push(watcher);
      }
      console.log(pc.dim(`Watching ${shown} for changes.`));
    } catch (error) {
      console.log(pc.yellow(`Cannot watch ${shown} here (${(error as Error).message}): press r to re-run after each change.`));
    }

    const { stdin } = process;
    const quit = async (): Promise<void> => {
      if (quitting) return;
      quitting = true;
      for (const watcher of watchers) watcher.close();
      clearTimeout(timer);
      stdin.off('data', onKeys);
      process.off('SIGINT', quit).off('SIGTERM', quit);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      // Our SIGINT handler is off now: a second Ctrl-C ends the process at once, as Node does by default.
      if (running) console.log(pc.dim('Quitting once the checks running now finish (Ctrl-C again stops at once).'));
      await runner.cancel();
      await running;
      await closeRunner(runner);
      resolve(0);
    };
    // On a terminal, raw mode hands over each key as it is pressed; otherwise keys arrive as lines.
    const onKeys = (data: Buffer): void => {
      for (const key of data.toString()) {
        const action = keyAction(key);
        if (action === 'rerun') rerun();
        else if (action === 'hint') showHint();
        else if (action === 'quit') return void quit();
      }
    };
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', onKeys);
    stdin.resume();
    // Without raw mode Ctrl-C is a signal: quit the same way, so vitest's workers close too.
    process.on('SIGINT', quit).on('SIGTERM', quit);
    rerun();
  });
}

/** The lab's result in a run's results; every check "did not run" when the run reported none. */
function labOf(lab: Lab, results: WorkbookResults): LabResult {
  return results.labs.find((candidate) => candidate.slug === lab.slug) ?? labResult(lab, new Map());
}

/** A result of the step's files alone: the checks they hold, without those of files still to run. */
function checksThatRan(result: LabResult): LabResult {
  const ran = result.checks.filter((check) => check.status !== 'not-run');
  return ran.length > 0 ? { ...result, checks: ran, ...score(ran) } : result;
}

function focusNames(focus: Focus): string {
  return focus.files.map((file) => file.split('/').pop()).join(', ');
}

async function closeRunner(runner: WatchRunner): Promise<void> {
  try {
    await runner.close();
  } catch (error) {
    console.log(pc.yellow(`Vitest did not close cleanly: ${(error as Error).message}`));
  }
}
