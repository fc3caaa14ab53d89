// `npm start -- watch [NN]`: re-runs the checks of lab NN (default: the lab of the next failing check)
// each time a file in its folder changes (or in the folder of a lab it builds on: lab 04 runs on your
// lab 03), and shows only the first failing check, its message and its hints, or a line saying the lab
// passes. Keys: r re-run, h one more hint, q quit.
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { checkLab, freshResults } from './cli-checks.ts';
import { labToWorkOn } from './cli-hint.ts';
import { labsBuiltOn } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { hintsShown, readProgress, revealHint, writeProgress, type Progress } from './progress.ts';
import { displayPath } from '../repo.ts';
import { nextCheck, readResults, type CheckResult, type LabResult } from '../results.ts';
import { targetRoot } from '../target.ts';

/** Saving a file often writes it more than once: wait this long after the last change. */
const DEBOUNCE_MS = 300;
const MESSAGE_LINES = 20;

export type KeyAction = 'rerun' | 'hint' | 'quit';

export function keyAction(key: string): KeyAction | undefined {
  if (key === 'r' || key === 'R') return 'rerun';
  if (key === 'h' || key === 'H') return 'hint';
  if (key === 'q' || key === 'Q' || key === '\u0003' /* Ctrl-C: raw mode turns it into a key */) return 'quit';
  return undefined;
}

export async function watch(labs: Lab[], chosen?: Lab): Promise<number> {
  const lab = chosen ?? labToWorkOn(labs, freshResults(labs) ?? readResults());
  if (!lab) {
    console.log('There are no labs yet.');
    return 1;
  }
  const folders = [lab, ...labsBuiltOn(lab, labs)].map((each) => join(targetRoot(), each.slug));
  const shown = folders.map((folder) => `${displayPath(folder)}/`).join(' and ');
  let latest: LabResult | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let quitting = false;

  // One run at a time; a change during a run asks for one more run after it.
  const rerun = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          latest = await checkLab(lab, labs);
          console.log(formatWatch(lab, latest, readProgress(), labs).join('\n'));
        } catch (error) {
          console.log(pc.red(`The checks could not run: ${(error as Error).message}`));
        }
      } while (again && !quitting);
    })().finally(() => (running = undefined));
  };

  const showHint = (): void => {
    if (!latest) return void console.log(pc.dim('The first run has not finished yet: press h again in a moment.'));
    const failing = nextCheck(latest);
    if (!failing) return void console.log(pc.green('Every check passes: no hint needed.'));
    const { progress, shown, revealed } = revealHint(readProgress(), failing);
    writeProgress(progress);
    console.log(formatHintLines(failing, shown).join('\n'));
    if (!revealed) console.log(pc.yellow(`  No more hints for ${failing.id}.`));
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
      quitting = true;
      if (running) console.log(pc.dim('Quitting when this run ends.'));
      for (const watcher of watchers) watcher.close();
      clearTimeout(timer);
      stdin.off('data', onKeys);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      await running;
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
    rerun();
  });
}

/** One run's outcome: the first failing check with its message and the hints seen so far, or a pass. */
export function formatWatch(lab: Lab, result: LabResult, progress: Progress, labs: Lab[]): string[] {
  const time = new Date().toLocaleTimeString();
  const lines = [pc.dim(`── lab ${lab.id} ${lab.title} · ${result.passed}/${result.total} checks · ${time}`)];
  const check = nextCheck(result);
  if (check) {
    const { owner, step } = stepToWorkOn(lab, check, labs);
    const mark = check.status === 'not-started' ? pc.yellow('○') : pc.red('✗');
    lines.push(`${mark} ${pc.bold(check.id)} ${check.title}`);
    const message = (check.message ?? 'did not run').split('\n');
    lines.push(...message.slice(0, MESSAGE_LINES).map((line) => `    ${line}`));
    if (message.length > MESSAGE_LINES) lines.push(pc.dim(`    … (${message.length - MESSAGE_LINES} more lines: npm test shows them all)`));
    const file = displayPath(join(targetRoot(), owner.slug, step?.file ?? ''));
    if (step) lines.push(`  ${pc.dim('step')} ${step.id} ${step.title}: ${file} ${pc.dim(`(guide: README.md${step.readme})`)}`);
    const seen = hintsShown(progress, check);
    lines.push(...formatHintLines(check, seen.length > 0 ? seen : check.hint.slice(0, 1)));
  } else {
    lines.push(`${pc.green('✓')} ${pc.bold(`Lab ${lab.id} passes:`)} all ${result.total} checks. See the reference: npm start -- solution ${lab.id}`);
    const after = labs[labs.indexOf(lab) + 1];
    if (after) lines.push(`  Next: lab ${after.id} ${after.title} (npm start -- watch ${after.id})`);
  }
  lines.push(pc.dim('  r re-run · h next hint · q quit'), '');
  return lines;
}

/**
 * The step a failing check sends the learner to: its own, or the step of an earlier lab whose TODO it
 * reached (lab 04's checks on an unfinished lab 03 say `TODO(03.4) ...`).
 */
function stepToWorkOn(lab: Lab, check: CheckResult, labs: Lab[]): { owner: Lab; step?: Lab['steps'][number] } {
  const [, labId, stepNumber] = /TODO\((\d\d)\.(\d+)\)/.exec(check.message ?? '') ?? [];
  const earlier = labId !== lab.id ? labs.find((candidate) => candidate.id === labId) : undefined;
  const earlierStep = earlier?.steps.find((candidate) => candidate.id === `${labId}.${stepNumber}`);
  if (earlier && earlierStep) return { owner: earlier, step: earlierStep };
  return { owner: lab, step: lab.steps.find((candidate) => candidate.id === check.step) };
}

function formatHintLines(check: CheckResult, shown: string[]): string[] {
  return shown.map((text, index) => `  ${pc.cyan(`hint ${index + 1}/${check.hint.length}:`)} ${text}`);
}
