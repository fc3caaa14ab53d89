// Lab checks share a worker (so the libraries load once), yet each check file gets the lab's modules
// afresh: module state in a learner's file never leaks from one check file into the next. One worker
// runs both files of the fixture here, one after the other; each file counts its own first call.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { collectOutcomes } from '#shared/workbook/outcomes.ts';
import { runCheckProjects, type CheckProject } from '#shared/workbook/run-checks.ts';
import { copyFixture, type FixtureCopy } from './fixture.ts';

let fixture: FixtureCopy;
beforeAll(() => {
  fixture = copyFixture();
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(fixture.root, file)), { recursive: true });
    writeFileSync(join(fixture.root, file), text);
  };
  // A learner's module with state of its own, as a token store or a cache has.
  write('labs/91-greeting/src/counter.ts', 'let calls = 0;\nexport const count = () => ++calls;\n');
  for (const name of ['first', 'second']) {
    write(`test/91-greeting/${name}.leak.ts`, `import { expect, test } from 'vitest';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

test('${name}', async () => {
  const { count } = await importTarget<{ count(): number }>(lab, 'src/counter.ts');
  expect(count()).toBe(1);
});
`);
  }
});
afterAll(() => fixture?.remove());

/** Both check files in one worker, as the given kind of project; what each file's test did. */
async function runBoth(kind: CheckProject['kind']) {
  const project: CheckProject = { name: 'labs', include: ['test/91-greeting/*.leak.ts'], target: join(fixture.root, 'labs'), kind };
  const run = await runCheckProjects(fixture.root, [project], { maxWorkers: 1 });
  return Object.fromEntries(collectOutcomes(run.modules, fixture.root).tests.map((outcome) => [outcome.name, outcome.status]));
}

test('each check file imports the lab\'s modules afresh, in a worker it shares', { timeout: 60_000 }, async () => {
  expect(await runBoth('checks')).toEqual({ first: 'passed', second: 'passed' });
  // The proof can fail: the shared code's own tests keep their modules, so whichever file runs second
  // finds the count already at 1.
  expect(Object.values(await runBoth('shared')).sort()).toEqual(['failed', 'passed']);
});

test('checks of two targets in one run share the worker, and each check file runs on its own target\'s code', { timeout: 60_000 }, async () => {
  // A second learner's copy whose counter starts elsewhere: a check that ran on the wrong copy would see it.
  const other = join(fixture.root, 'other-labs');
  mkdirSync(join(other, '91-greeting', 'src'), { recursive: true });
  writeFileSync(join(other, '91-greeting', 'src', 'counter.ts'), 'let calls = 100;\nexport const count = () => ++calls;\n');
  writeFileSync(
    join(fixture.root, 'test/91-greeting/where.leak.ts'),
    `import { expect, test } from 'vitest';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

test('where', async (context) => {
  const { count } = await importTarget<{ count(): number }>(lab, 'src/counter.ts');
  context.task.meta.ran = { pid: process.pid, target: process.env.WORKBOOK_TARGET, first: count() };
});
`,
  );
  const projects: CheckProject[] = [
    { name: 'learner-a', include: ['test/91-greeting/*.leak.ts'], target: join(fixture.root, 'labs') },
    { name: 'learner-b', include: ['test/91-greeting/where.leak.ts'], target: other },
  ];
  const run = await runCheckProjects(fixture.root, projects, { maxWorkers: 1 });
  const outcomes = collectOutcomes(run.modules, fixture.root, run.sourceOf).tests;
  expect(outcomes.map((outcome) => `${outcome.project} ${outcome.file} ${outcome.name} ${outcome.status}`).sort()).toEqual([
    'learner-a test/91-greeting/first.leak.ts first passed',
    'learner-a test/91-greeting/second.leak.ts second passed',
    'learner-a test/91-greeting/where.leak.ts where passed',
    'learner-b test/91-greeting/where.leak.ts where passed',
  ]);
  const ran = run.modules.flatMap((module) => [...module.children.allTests()].map((test) => ({ project: run.sourceOf(module).project, ...(test.meta() as { ran?: { pid: number; target: string; first: number } }).ran })));
  const where = (project: string) => ran.find((entry) => entry.project === project && entry.target !== undefined)!;
  expect(where('learner-a')).toMatchObject({ target: join(fixture.root, 'labs'), first: 1 });
  expect(where('learner-b')).toMatchObject({ target: other, first: 101 });
  expect(where('learner-a').pid, 'one worker ran both targets\' checks: it loaded the libraries once').toBe(where('learner-b').pid);
});
