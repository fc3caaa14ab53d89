// A lab's script compiled ahead for a check's child process (lab 02's stdio server): it runs on plain
// node as the same program, and the folder of compiled files stays small however often a learner saves.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compiledScriptArgs, compileScript } from '#shared/workbook/compiled-script.ts';
import { displayPath, REPO_ROOT } from '#shared/workbook/repo.ts';

let scratch: string;
beforeAll(() => {
  mkdirSync(join(REPO_ROOT, '.workbook'), { recursive: true });
  scratch = mkdtempSync(join(REPO_ROOT, '.workbook', 'compiled-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const script = (name: string, body: string) => {
  const file = join(scratch, name);
  writeFileSync(file, body);
  return file;
};

test('the compiled script runs on plain node with its own import.meta.url, and the shared code it imports', async () => {
  const file = script('main.ts', "import { displayPath } from '#shared/workbook/repo.ts';\nconst greeting: string = 'compiled';\nconsole.log(greeting, displayPath(new URL(import.meta.url).pathname));\n");
  const compiled = await compileScript(file, { manifests: false, dir: join(scratch, 'out') });
  const run = spawnSync(process.execPath, compiledScriptArgs(compiled), { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim(), 'its import.meta.url is its source file, as under tsx').toBe(`compiled ${displayPath(file)}`);
});

test('each save compiles anew, yet only the most recently used compiled files are kept', async () => {
  const out = join(scratch, 'saves');
  const save = (value: number) => compileScript(script('saved.ts', `console.log(${value});\n`), { manifests: false, dir: out, keep: 5 });
  const first = await save(0);
  for (let value = 1; value <= 4; value += 1) await save(value);
  expect(await save(0), 'the same code is the same file').toBe(first);
  for (let value = 5; value <= 8; value += 1) await save(value);
  const kept = readdirSync(out).filter((name) => name.endsWith('.mjs'));
  expect(kept.length, 'at most 5 compiled files').toBeLessThanOrEqual(5);
  expect(kept, 'a file used again is kept: a check file may start it once more').toContain(basename(first));
  const latest = await save(8);
  expect(spawnSync(process.execPath, compiledScriptArgs(latest), { encoding: 'utf8' }).stdout.trim(), 'the latest save is one of them').toBe('8');
});
