// How long a learner in watch mode waits between saving a file and reading the verdict: `npm start --
// watch NN` runs as a child process on a disposable copy of the lab's solution (and of the labs it
// builds on), and one step's file is saved again and again, a mutant of the lab's catalogue switched on
// and off, so every save changes the verdict. Not part of the tests: run it after changing watch mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Timing } from './bench.ts';
import { discoverLabs, labsBuiltOn } from '../labs.ts';
import { applyMutant, loadCatalogue } from './mutants.ts';
import { REPO_ROOT } from '../repo.ts';

export interface BenchWatchOptions {
  /** The lab to watch (default 03). */
  lab?: string;
  /** The mutant of the lab's catalogue that every other save switches on (default: its first). */
  mutant?: string;
  /** How many saves are timed (default 10). */
  saves?: number;
}

/** A run is over when the screen offers the keys again. */
const RUN_DONE = 'r re-run · h next hint · q quit';
/** A verdict: the first failing check (✗, or ○ not started), or a pass (✓). */
const VERDICT = /^[✓✗○] /;
/** Longest wait for one run (a whole lab on a busy machine). */
const RUN_TIMEOUT_MS = 180_000;

/** Save -> verdict of watch mode: the median, the fastest and the slowest of `saves` saves. */
export async function benchWatch(options: BenchWatchOptions = {}): Promise<Timing[]> {
  const labs = await discoverLabs(REPO_ROOT);
  const lab = labs.find((candidate) => candidate.id === (options.lab ?? '03'));
  if (!lab) throw new Error(`bench-watch: no lab ${options.lab}`);
  const catalogue = await loadCatalogue(REPO_ROOT, lab.slug);
  const mutant = catalogue?.mutants.find((candidate) => options.mutant === undefined || candidate.id === options.mutant);
  if (!mutant) throw new Error(`bench-watch: test/${lab.slug}/mutants.ts has no mutant ${options.mutant ?? ''}`);

  // A copy inside the repository, so its #shared/* imports resolve; a folder of this process's own.
  const copy = join(REPO_ROOT, '.workbook', 'bench-watch', String(process.pid));
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const each of [lab, ...labsBuiltOn(lab, labs)]) cpSync(join(REPO_ROOT, 'solutions', each.slug), join(copy, each.slug), { recursive: true });
  const file = join(copy, lab.slug, mutant.file);
  const reference = readFileSync(file, 'utf8');
  const mutated = applyMutant(reference, mutant);

  const env = { ...process.env, WORKBOOK_TARGET: copy, WORKBOOK_RESULTS_FILE: join(copy, 'results.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', 'watch', lab.id], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const screen = new Screen(child);
  const seconds: number[] = [];
  let status: number | null = null;
  try {
    await screen.waitFor((line) => line.includes(RUN_DONE), 0); // the first run, of the whole lab
    for (let save = 0; save < (options.saves ?? 10); save++) {
      await new Promise((resolve) => setTimeout(resolve, 300)); // a learner reads before saving again
      const from = screen.mark;
      const saved = performance.now();
      writeFileSync(file, save % 2 === 0 ? mutated : reference);
      seconds.push(((await screen.waitFor((line) => VERDICT.test(line), from)) - saved) / 1000);
      if (process.env.BENCH_WATCH_ECHO) console.log(`save ${save + 1}: ${seconds.at(-1)!.toFixed(2)} s to the verdict`);
      await screen.waitFor((line) => line.includes(RUN_DONE), from); // the rest of the lab, before the next save
    }
  } finally {
    status = await quit(child);
    rmSync(copy, { recursive: true, force: true });
  }

  const sorted = [...seconds].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const command = `npm start -- watch ${lab.id} (${mutant.file} saved ${seconds.length} times, mutant ${mutant.id} on and off)`;
  const timing = (name: string, value: number): Timing => ({ name: `watch ${lab.id}: save -> verdict, ${name}`, command, seconds: value, status });
  return [timing(`median of ${seconds.length}`, median), timing('fastest', sorted[0]!), timing('slowest', sorted.at(-1)!)];
}

/** The child's output, line by line without colours, each with the time it arrived. */
class Screen {
  private readonly lines: { text: string; at: number }[] = [];
  private readonly listeners = new Set<() => void>();
  private partial = '';

  constructor(child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      const at = performance.now();
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        const text = stripVTControlCharacters(line);
        if (process.env.BENCH_WATCH_ECHO) console.log(`  | ${text}`); // to see what the learner sees
        this.lines.push({ text, at });
      }
      for (const listener of this.listeners) listener();
    });
  }

  /** Where the next line will go: `waitFor` from here sees only what comes after. */
  get mark(): number {
    return this.lines.length;
  }

  /** When the first line from `from` on that passes `test` arrived (it may have arrived already). */
  waitFor(test: (line: string) => boolean, from: number, timeoutMs = RUN_TIMEOUT_MS): Promise<number> {
    return new Promise((resolve, reject) => {
      const look = (): void => {
        const line = this.lines.slice(from).find((candidate) => test(candidate.text));
        if (!line) return;
        stop();
        resolve(line.at);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`bench-watch: nothing on the screen matched within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.listeners.delete(look);
      };
      this.listeners.add(look);
      look();
    });
  }
}

/** Presses q and waits for the watch to exit by itself; its exit code, or null if it had to be killed. */
function quit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.stdin!.end('q\n');
  });
}
