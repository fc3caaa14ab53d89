// Watch mode as a learner meets it: `watch 91` in a process of its own on a copy of the fixture workbook
// (watch-session.ts), its screen read as text, the learner's files saved, keys and Ctrl-C sent.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { addChecks, copyFixtureFilePerStep, type FixtureCopy } from './fixture.ts';

const SESSION = fileURLToPath(new URL('./watch-session.ts', import.meta.url));
const KEYS = 'r re-run · h next hint · q quit';

interface Session {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far, without colours. */
  screen(): string;
  /** Waits until `text` is printed after position `from` of the screen. */
  until(text: string, from?: number): Promise<void>;
  exited: Promise<number | null>;
}

function startSession(copy: FixtureCopy): Session {
  // Nothing of this test run's own vitest reaches the learner's session.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WORKBOOK_)/.test(name)));
  const env = { ...inherited, WORKBOOK_TARGET: join(copy.root, 'labs'), WORKBOOK_RESULTS_FILE: join(copy.root, 'results.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', SESSION, copy.root], { cwd: REPO_ROOT, env });
  let text = '';
  const listeners = new Set<() => void>();
  const read = (chunk: Buffer) => {
    text += stripVTControlCharacters(chunk.toString());
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = (wanted: string, from = 0) =>
    new Promise<void>((resolve, reject) => {
      const look = () => {
        if (!text.slice(from).includes(wanted)) return;
        listeners.delete(look);
        resolve();
      };
      listeners.add(look);
      void exited.then(() => reject(new Error(`the session ended before printing "${wanted}":\n${text}`)));
      look();
    });
  return { child, screen: () => text, until, exited };
}

test('a save checks the step it edits first and shows its new verdict, then the rest of the lab; q ends the session', { timeout: 90_000 }, async () => {
  const copy = copyFixtureFilePerStep();
  const session = startSession(copy);
  try {
    await session.until(KEYS); // the first run: the whole lab, on the starters
    expect(session.screen()).toContain('○ 91.1.1 the greeting names the user');

    const from = session.screen().length;
    copy.edit('labs/91-greeting/src/greet.ts', (text) => text.replace("throw todo('91.1');", 'return `Hello, ${name}${PUNCTUATION}`;'));
    await session.until(KEYS, from);
    const after = session.screen().slice(from);
    const inOrder = [
      'Checking step 91.1: greet.check.ts',
      '── lab 91 Greeting · step 91.1 · 2/2 checks',
      '✓ Step 91.1 passes: all 2 checks.',
      'Checking the rest of lab 91',
      '── lab 91 Greeting · 2/3 checks',
      '✗ 91.2.1 words are counted',
    ];
    const where = inOrder.map((text) => after.indexOf(text));
    expect(where.every((at) => at >= 0) && where.every((at, index) => index === 0 || at > where[index - 1]!), after).toBe(true);

    session.child.stdin.end('q\n');
    expect(await session.exited).toBe(0);
  } finally {
    session.child.kill();
    copy.remove();
  }
});

test('Ctrl-C during a run lets the running check close what it opened, then the session ends with nothing left running', { timeout: 90_000 }, async () => {
  const copy = copyFixtureFilePerStep();
  const hold = join(copy.root, 'hold');
  const pidFile = join(copy.root, 'helper.pid');
  // A check that starts a process of its own (as lab 02's checks start a stdio server) and stops it
  // after its file's last check; it waits while `hold` exists.
  addChecks(copy, [{ id: '91.2.2', title: 'a check that starts a process' }]);
  writeFileSync(
    join(copy.root, 'test', '91-greeting', 'helper.check.ts'),
    `import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import lab from './lab.ts';

const check = checksFor(lab);
let helper: ReturnType<typeof spawn> | undefined;
afterAll(() => void helper?.kill());

check('91.2.2', async () => {
  helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  writeFileSync(${JSON.stringify(pidFile)}, String(helper.pid));
  for (let waited = 0; existsSync(${JSON.stringify(hold)}) && waited < 20_000; waited += 50) await sleep(50);
});
`,
  );
  writeFileSync(hold, '');
  const session = startSession(copy);
  let pid: number | undefined;
  try {
    for (let waited = 0; !existsSync(pidFile) && waited < 60_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid), 'the check has started its process').toBe(true);

    session.child.kill('SIGINT'); // Ctrl-C where stdin is no terminal: a signal
    await session.until('Quitting once the checks running now finish');
    rmSync(hold); // the check ends, and its file's afterAll stops the process
    expect(await session.exited).toBe(0);
    for (let waited = 0; alive(pid) && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(pid), 'the process the check started is gone').toBe(false);
  } finally {
    session.child.kill();
    if (pid && alive(pid)) process.kill(pid);
    copy.remove();
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
