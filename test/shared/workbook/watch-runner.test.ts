// Watch mode keeps one vitest open for a whole session (learner/watch-runner.ts). Every run must still
// test the code as saved, run the saved step's check files before the rest of the lab, give each check
// file the learner's modules afresh (in one run as across runs), and stop cleanly when asked.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadLab } from '#shared/workbook/labs.ts';
import { startWatchRunner, type WatchRunner } from '#shared/workbook/learner/watch-runner.ts';
import type { WorkbookResults } from '#shared/workbook/results.ts';
import { addChecks, copyFixtureFilePerStep, FIXTURE_ROOT, type FixtureCopy } from './fixture.ts';

let fixture: FixtureCopy;
let runner: WatchRunner;
/** The checks in the order they ended, with `verdict` where the first part's results came out. */
const ended: string[] = [];
/** While this file exists, check 91.2.4 waits (up to 20 s): a run to stop half-way. */
let hold: string;

const CHECK_FILE = `import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

const check = checksFor(lab);
`;

beforeAll(async () => {
  fixture = copyFixtureFilePerStep();
  hold = join(fixture.root, 'hold');
  const write = (file: string, text: string) => writeFileSync(join(fixture.root, file), text);
  // A learner's module with state of its own (a token store has some), and two check files that each
  // expect to be its first user.
  write('labs/91-greeting/src/counter.ts', 'let calls = 0;\nexport const count = () => ++calls;\n');
  addChecks(fixture, [
    { id: '91.2.2', title: 'the counter starts at one in file A' },
    { id: '91.2.3', title: 'the counter starts at one in file B' },
    { id: '91.2.4', title: 'a check that takes its time' },
  ]);
  for (const [name, id] of [['counter-a', '91.2.2'], ['counter-b', '91.2.3']]) {
    write(`test/91-greeting/${name}.check.ts`, `${CHECK_FILE}
check('${id}', async () => {
  const { count } = await importTarget<{ count(): number }>(lab, 'src/counter.ts');
  expect(count()).toBe(1);
});
`);
  }
  write('test/91-greeting/slow.check.ts', `${CHECK_FILE}
check('91.2.4', async () => {
  writeFileSync(${JSON.stringify(`${hold}.started`)}, '');
  for (let waited = 0; existsSync(${JSON.stringify(hold)}) && waited < 20_000; waited += 50) await sleep(50);
  expect(true).toBe(true);
});
`);
  const lab = await loadLab(fixture.root, '91-greeting');
  runner = await startWatchRunner(lab, {
    target: join(fixture.root, 'labs'),
    folders: [join(fixture.root, 'labs', '91-greeting')],
    root: fixture.root,
    testSuffix: '.check.ts',
    // One worker runs every file, so the two counter files share it: "no state leaks" then means something.
    maxWorkers: 1,
    onCheck: (test) => ended.push(test.meta().workbook!.check),
  });
}, 60_000);
afterAll(async () => {
  await runner?.close();
  fixture?.remove();
});

const statuses = (results: WorkbookResults | undefined) => Object.fromEntries((results?.labs[0]?.checks ?? []).map((check) => [check.id, check.status]));

test("the saved step's check files run first, and their verdict comes out before the rest of the lab runs", { timeout: 60_000 }, async () => {
  ended.length = 0;
  let first: WorkbookResults | undefined;
  const all = await runner.run(['test/91-greeting/greet.check.ts'], (results) => {
    first = results;
    ended.push('verdict');
  });
  expect(ended.slice(0, 3)).toEqual(['91.1.1', '91.1.2', 'verdict']);
  expect(ended.slice(3).sort()).toEqual(['91.2.1', '91.2.2', '91.2.3', '91.2.4']);
  expect(statuses(first)).toEqual({ '91.1.1': 'not-started', '91.1.2': 'passed', '91.2.1': 'not-run', '91.2.2': 'not-run', '91.2.3': 'not-run', '91.2.4': 'not-run' });
  // Both counter files found the count at 1 in the same worker: no module state leaked between files.
  expect(statuses(all)).toEqual({ '91.1.1': 'not-started', '91.1.2': 'passed', '91.2.1': 'failed', '91.2.2': 'passed', '91.2.3': 'passed', '91.2.4': 'passed' });
});

test('a run after an edit tests the code as saved, with the module state of no earlier run', { timeout: 60_000 }, async () => {
  fixture.edit('labs/91-greeting/src/greet.ts', () => readFileSync(join(FIXTURE_ROOT, 'solutions', '91-greeting', 'src', 'greet.ts'), 'utf8'));
  const after = statuses(await runner.run([]));
  expect(after['91.1.1'], 'the edited greet.ts, not the one the first run transformed').toBe('passed');
  expect([after['91.2.2'], after['91.2.3']], 'the counter starts at one again').toEqual(['passed', 'passed']);
});

test('a run stopped half-way gives no results, lets its running check finish, and the next run is whole', { timeout: 60_000 }, async () => {
  writeFileSync(hold, '');
  rmSync(`${hold}.started`, { force: true });
  const stopped = runner.run([]);
  for (let waited = 0; !existsSync(`${hold}.started`) && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  ended.length = 0;
  const cancelling = runner.cancel();
  rmSync(hold);
  await cancelling;
  expect(await stopped).toBeUndefined();
  expect(ended, 'the check that was running finished').toContain('91.2.4');

  // Nothing skipped, nothing left unrun: the stop did not carry over into the next run.
  expect(statuses(await runner.run([]))).toEqual({ '91.1.1': 'passed', '91.1.2': 'passed', '91.2.1': 'failed', '91.2.2': 'passed', '91.2.3': 'passed', '91.2.4': 'passed' });
});
