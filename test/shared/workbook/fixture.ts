// The fixture workbook (fixtures/workbook/: one lab, 91-greeting) and disposable copies of it.
// Copies live in .workbook/ inside the repository, so their #shared/* imports resolve.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { Lab } from '#shared/workbook/manifest.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { labResult, type CheckOutcome } from '#shared/workbook/results.ts';

export const FIXTURE_ROOT = fileURLToPath(new URL('./fixtures/workbook', import.meta.url));
/** The fixture's checks end in .check.ts, so the repository's own test run never picks them up. */
export const FIXTURE_SUFFIX = '.check.ts';

export interface FixtureCopy {
  root: string;
  edit(file: string, change: (text: string) => string): void;
  remove(): void;
}

export function copyFixture(): FixtureCopy {
  const parent = join(REPO_ROOT, '.workbook', 'fixtures');
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'workbook-'));
  cpSync(FIXTURE_ROOT, root, { recursive: true });
  return {
    root,
    edit: (file, change) => writeFileSync(join(root, file), change(readFileSync(join(root, file), 'utf8'))),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A copy whose lab 91 has a check file per step, as the real labs have: greet.check.ts (91.1.1, 91.1.2)
 * and words.check.ts (91.2.1).
 */
export function copyFixtureFilePerStep(): FixtureCopy {
  const copy = copyFixture();
  const folder = join(copy.root, 'test', '91-greeting');
  const source = readFileSync(join(folder, 'greeting.check.ts'), 'utf8');
  const [header, step2] = [source.slice(0, source.indexOf("check('91.1.1'")), source.indexOf("check('91.2.1'")];
  writeFileSync(join(folder, 'greet.check.ts'), source.slice(0, step2));
  writeFileSync(join(folder, 'words.check.ts'), header + source.slice(step2));
  rmSync(join(folder, 'greeting.check.ts'));
  return copy;
}

/** Adds checks of step 91.2 to a copy's manifest (each needs its check(id) in a check file). */
export function addChecks(copy: FixtureCopy, checks: { id: string; title: string }[]): void {
  const entries = checks.map(({ id, title }) => `    { id: '${id}', step: '91.2', title: '${title}', points: 1, hint: 'h' },\n`).join('');
  copy.edit('test/91-greeting/lab.ts', (text) => text.replace(/\n  \],\n  handRun/, `\n${entries}  ],\n  handRun`));
}

/** The fixture lab's result with 91.1.1 failing, or passing throughout. */
export function greetingResult(lab: Lab, failing: boolean) {
  const passed: CheckOutcome = { status: 'passed' };
  const first: CheckOutcome = failing ? { status: 'failed', message: 'expected "Hi Ada" to be "Hello, Ada!"\nsecond line' } : passed;
  return labResult(lab, new Map([['91.1.1', first], ['91.1.2', passed], ['91.2.1', passed]]));
}

/** Printed lines without their colours. */
export const plain = (lines: string[]) => stripVTControlCharacters(lines.join('\n'));
