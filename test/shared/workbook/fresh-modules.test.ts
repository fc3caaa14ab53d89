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
