// Type errors as feedback (type-check.ts): a check that passes at run time fails when TypeScript refuses
// its step's file or a file of the lab that file imports, with the first error; one tsc per run, beside
// the checks, never one per check; at most one kept result per lab. On a copy of the fixture workbook
// with a check file per step (greet.check.ts: 91.1.1, 91.1.2; words.check.ts: 91.2.1; words.ts
// imports greet.ts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { startWatchRunner } from '#shared/workbook/learner/watch-runner.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import WorkbookReporter from '#shared/workbook/reporter.ts';
import type { CheckResult, WorkbookResults } from '#shared/workbook/results.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { runCheckProjects } from '#shared/workbook/run-checks.ts';
import { importClosure, importedSiblings, parseTscOutput, refusedByTypes, relativeImports, startTypeCheck, tscRuns, typeFailureMessage, TYPES_AHEAD } from '#shared/workbook/type-check.ts';
import { copyFixtureFilePerStep, FIXTURE_SUFFIX, type FixtureCopy } from './fixture.ts';

let copy: FixtureCopy;
let lab: Lab;
const target = () => join(copy.root, 'labs');
const labFile = (file: string) => `labs/91-greeting/${file}`;
const solve = (file: string) => copy.edit(labFile(file), () => readFileSync(join(copy.root, 'solutions', '91-greeting', file), 'utf8'));
const cacheDir = () => join(copy.root, '.workbook', 'cache', 'type-check');

/** What `npm test` does (the reporter, in one vitest run), and how many tsc processes it started. */
async function npmTest(): Promise<{ results: WorkbookResults; tsc: number; byId: (id: string) => CheckResult }> {
  const before = tscRuns();
  const reporter = new WorkbookReporter({ root: copy.root, target: target(), outputFile: false, print: false });
  await runCheckProjects(copy.root, [{ name: 'labs', include: [`test/*/**/*${FIXTURE_SUFFIX}`], target: target() }], { reporters: [reporter] });
  const results = reporter.results!;
  const byId = (id: string) => results.labs[0]!.checks.find((check) => check.id === id)!;
  return { results, tsc: tscRuns() - before, byId };
}

// Wrong for TypeScript, right at run time: the function returns the count it always did.
const illTypedWords = (text: string) => text.replace('export function countWords(text: string): number {', 'export function countWords(text: string): string {');
const illTypedGreet = (text: string) => text.replace("export const PUNCTUATION = '!';", "export const PUNCTUATION = '!';\nexport const LOUD: boolean = PUNCTUATION.length;");

beforeAll(async () => {
  copy = copyFixtureFilePerStep();
  [lab] = await discoverLabs(copy.root);
});
afterAll(() => copy?.remove());

/** A test that runs the checks (a vitest run each, and a tsc): room for a loaded machine. */
const RUN_TIMEOUT = 60_000;

describe('a run of the checks', () => {
  test('on the untouched starter: the checks fail with their TODO text alone, as the starter type-checks', async () => {
    const { byId, tsc } = await npmTest();
    expect(byId('91.1.1').status, '91.1.1 reaches its TODO').toBe('not-started');
    expect(byId('91.1.1').message, 'the TODO text, nothing about types').toMatch(/^TODO\(91\.1\) Greet the user by name/);
    expect([byId('91.1.1').typeError, byId('91.2.1').typeError], 'no check is failed by a type error').toEqual([undefined, undefined]);
    expect(tsc, 'one tsc for the run').toBe(1);
  }, RUN_TIMEOUT);

  test("an ill-typed step file fails that step's checks with the first TS error, and leaves the other step alone", async () => {
    solve('src/greet.ts');
    solve('src/words.ts');
    copy.edit(labFile('src/words.ts'), illTypedWords);
    const { byId, tsc } = await npmTest();
    const words = byId('91.2.1');
    expect(words.status, '91.2.1 passed at run time, and TypeScript refuses src/words.ts').toBe('failed');
    expect(words.typeError, 'marked as failed by a type error').toBe(true);
    expect(words.message, 'the file relative to the lab, line and column, the TS code and message, and what it means').toMatch(
      /^src\/words\.ts:\d+:\d+ - error TS2322: Type 'number' is not assignable to type 'string'\.\nThe check passed at run time, but TypeScript refuses the code/,
    );
    expect(['91.1.1', '91.1.2'].map((id) => byId(id).status), "step 91.1's file does not import words.ts: its checks pass").toEqual(['passed', 'passed']);
    expect(tsc, 'one tsc for the run: not one per check (three) nor per check file (two)').toBe(1);
  }, RUN_TIMEOUT);

  test('a type error in a file the step file imports fails that step too', async () => {
    solve('src/words.ts');
    copy.edit(labFile('src/greet.ts'), illTypedGreet);
    const { byId } = await npmTest();
    expect(['91.1.1', '91.1.2', '91.2.1'].map((id) => byId(id).status), 'greet.ts is step 91.1\'s file, and words.ts imports it').toEqual(['failed', 'failed', 'failed']);
    expect(byId('91.2.1').message, "words.ts's check names the error in greet.ts").toMatch(/^src\/greet\.ts:\d+:\d+ - error TS2322:/);
    const { results } = await npmTest();
    expect([results.labs[0]!.earned, results.labs[0]!.passed], 'the points follow: none earned, none passed').toEqual([0, 0]);
  }, RUN_TIMEOUT);

  test('the kept result: one file per lab, replaced when the lab changes, and a run of unchanged code starts no tsc', async () => {
    solve('src/greet.ts');
    const first = await npmTest();
    expect(first.tsc, 'the lab changed: one tsc').toBe(1);
    expect(first.byId('91.2.1').status, 'well-typed again: the check passes').toBe('passed');
    const again = await npmTest();
    expect(again.tsc, 'nothing changed: the kept result, no tsc').toBe(0);
    copy.edit(labFile('src/words.ts'), illTypedWords);
    const changed = await npmTest();
    expect([changed.tsc, changed.byId('91.2.1').typeError], 'changed again: one tsc, and its verdict').toEqual([1, true]);
    expect(readdirSync(cacheDir()), 'one result for the lab, however many contents it had: no tsconfig left behind either').toEqual(['91-greeting.json']);
  }, RUN_TIMEOUT);

  test("npm test's type check ahead: the lab it names is read from its kept result as the run ends, with no tsc of the reporter's own", async () => {
    copy.edit(labFile('src/words.ts'), (text) => `${text}\n// an edit: new content, nothing kept for it yet\n`);
    // What scripts/test.ts does while vitest starts (here it has finished by the time the run ends).
    await startTypeCheck(copy.root, [{ lab, folder: join(target(), lab.slug) }]);
    process.env[TYPES_AHEAD] = lab.slug;
    try {
      const run = await npmTest();
      expect([run.tsc, run.byId('91.2.1').typeError], "no tsc of the reporter's own, and the kept verdict").toEqual([0, true]);
    } finally {
      delete process.env[TYPES_AHEAD];
    }
  }, RUN_TIMEOUT);

  test('watch mode reads the type errors the same way', async () => {
    const runner = await startWatchRunner(lab, { target: target(), folders: [join(target(), lab.slug)], root: copy.root, testSuffix: FIXTURE_SUFFIX, maxWorkers: 1 });
    try {
      const results = await runner.run([]);
      const words = results?.labs[0]?.checks.find((check) => check.id === '91.2.1');
      expect([words?.status, words?.typeError], "watch fails 91.2.1 on words.ts's type error").toEqual(['failed', true]);
      expect(results?.labs[0]?.checks.find((check) => check.id === '91.1.1')?.status, 'and passes step 91.1').toBe('passed');
    } finally {
      await runner.close();
    }
  }, RUN_TIMEOUT);
});

test("a file that holds a step's TODO marker is that step's too, though the step's file does not import it", async () => {
  const folder = join(target(), '91-greeting');
  writeFileSync(join(folder, 'src', 'shout.ts'), "// TODO(91.2): the words, shouted.\nexport const SHOUT: string = 3;\n");
  try {
    const { labs } = await startTypeCheck(copy.root, [{ lab, folder }], { cache: false });
    const blamed = labs.get(folder)!.steps;
    expect(blamed['91.2']?.[0], 'step 91.2 gets the error of shout.ts first, as its own file').toMatchObject({ file: 'src/shout.ts', line: 2, code: 'TS2322' });
    expect(blamed['91.1'], 'step 91.1 does not').toBeUndefined();
  } finally {
    rmSync(join(folder, 'src', 'shout.ts'));
  }
}, RUN_TIMEOUT);

describe('the parts', () => {
  test("tsc's output: each error with its follow-up lines, paths made absolute", () => {
    const output = [
      "labs/04-best-practices/src/graph.ts(42,57): error TS2531: Object is possibly 'null'.",
      "labs/04-best-practices/src/graph.ts(50,3): error TS2322: Type 'number' is not assignable to type 'boolean'.",
      '  The expected type comes from the return type of this signature.',
      'Found 2 errors.',
    ].join('\n');
    expect(parseTscOutput(output), 'two errors, the second with its follow-up line').toEqual([
      { path: join(REPO_ROOT, 'labs/04-best-practices/src/graph.ts'), line: 42, column: 57, code: 'TS2531', message: "Object is possibly 'null'." },
      {
        path: join(REPO_ROOT, 'labs/04-best-practices/src/graph.ts'), line: 50, column: 3, code: 'TS2322',
        message: "Type 'number' is not assignable to type 'boolean'.\n  The expected type comes from the return type of this signature.",
      },
    ]);
  });

  test('the imports followed: relative ones, static, dynamic and re-exports', () => {
    const source = "import { a } from './a.ts';\nimport type { B } from \"../b.ts\";\nexport * from './c.ts';\nconst d = await import('./d.ts');\nimport '#shared/x.ts';\nimport express from 'express';\n";
    expect(relativeImports(source), 'the four relative specifiers, no package').toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts']);
    expect([...importClosure(join(copy.root, 'labs', '91-greeting'), 'src/words.ts')].sort(), 'words.ts and greet.ts, which it imports').toEqual(['src/greet.ts', 'src/words.ts']);
  });

  test('a kept result depends on every lab the lab imports, and on those they import in turn', () => {
    // Three labs side by side, as in a target: 06 imports 04, which imports 03; 05 is imported by none.
    const target = join(copy.root, 'chain');
    const lab = (slug: string, source: string) => {
      mkdirSync(join(target, slug, 'src'), { recursive: true });
      writeFileSync(join(target, slug, 'src', 'index.ts'), source);
    };
    lab('03-confidential-client', 'export const provider = 3;\n');
    lab('04-best-practices', "export { provider } from '../../03-confidential-client/src/index.ts';\n");
    lab('05-resource-server', 'export const verifier = 5;\n');
    lab('06-gateway', "import { provider } from '../../04-best-practices/src/index.ts';\nexport const gateway = provider;\n");
    expect([...importedSiblings(join(target, '06-gateway'))].sort(), "06's result follows 04's files and 03's, which 04 imports").toEqual(['03-confidential-client', '04-best-practices']);
    expect([...importedSiblings(join(target, '03-confidential-client'))], '03 imports no other lab').toEqual([]);
  });

  test('only a passed check is refused: a failure or a TODO is already the next instruction', () => {
    const error = { file: 'src/graph.ts', line: 42, column: 57, code: 'TS2531', message: "Object is possibly 'null'." };
    const types = { errors: [error, error], steps: { '04.4': [error, error] } };
    const refused = refusedByTypes({ status: 'passed' }, { step: '04.4' }, types);
    expect(refused, 'failed, with the first error and the count of the others').toEqual({
      status: 'failed',
      typeError: true,
      message: "src/graph.ts:42:57 - error TS2531: Object is possibly 'null'.\nThe check passed at run time, but TypeScript refuses the code: fix the type error and 1 more (npm run typecheck lists them all).",
    });
    expect(refusedByTypes({ status: 'not-started', message: 'TODO(04.4)' }, { step: '04.4' }, types), 'a TODO stays').toEqual({ status: 'not-started', message: 'TODO(04.4)' });
    expect(refusedByTypes({ status: 'passed' }, { step: '04.5' }, types), 'another step stays').toEqual({ status: 'passed' });
    expect(typeFailureMessage([error]).split('\n')[1], 'one error: no count').toBe('The check passed at run time, but TypeScript refuses the code: fix the type error (npm run typecheck lists them all).');
  });
});
