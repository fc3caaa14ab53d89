import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { compareLab, generateLab, readerSource, StarterError, starterSource, TODO_IMPORT } from '#shared/workbook/starters.ts';
import { FIXTURE_ROOT } from './fixture.ts';

const steps = new Set(['03.1', '03.2']);
const starter = (lines: string[]) => starterSource(lines.join('\n'), 'solutions/03-x/src/a.ts', steps).split('\n');

describe('starterSource', () => {
  test('a region becomes `throw todo(step)` at its indentation, and the todo import is added after the imports', () => {
    expect(
      starter([
        "import { a } from './a.ts';",
        'import {',
        '  b,',
        "} from './b.ts';",
        '',
        'export function redeem() {',
        '  // TODO(03.2): Redeem the authorization code.',
        '  if (a) {',
        '    // #region solution',
        '    return b();',
        '    // #endregion',
        '  }',
        '}',
      ]),
    ).toEqual([
      "import { a } from './a.ts';",
      'import {',
      '  b,',
      "} from './b.ts';",
      TODO_IMPORT,
      '',
      'export function redeem() {',
      '  // TODO(03.2): Redeem the authorization code.',
      '  if (a) {',
      "    throw todo('03.2');",
      '  }',
      '}',
    ]);
  });

  test('#starter lines are the starter text instead; no todo import is needed then', () => {
    const lines = ['// TODO(03.1): Pick the scopes.', 'export const scopes: string[] =', '  // #region solution', '  // #starter   [];', "  ['User.Read'];", '  // #endregion'];
    expect(starter(lines)).toEqual(['// TODO(03.1): Pick the scopes.', 'export const scopes: string[] =', '    [];']);
  });

  test('with no imports, the todo import goes below the header comment', () => {
    const lines = ['// The header,', '// two lines.', '', '// TODO(03.1): Do it.', 'export function f() {', '  // #region solution', '  return 1;', '  // #endregion', '}'];
    expect(starter(lines).slice(0, 5)).toEqual(['// The header,', '// two lines.', TODO_IMPORT, '', '// TODO(03.1): Do it.']);
    expect(starter(lines.slice(3)).slice(0, 3)).toEqual([TODO_IMPORT, '', '// TODO(03.1): Do it.']);
  });

  test.each([
    [['// #region solution', 'x;', '// #endregion'], 'a.ts:1: a solution region must sit under a "// TODO(NN.S): ..." comment'],
    [['// TODO(03.7): Nope.', '// #region solution', '// #endregion'], 'a.ts:2: TODO(03.7) names no step of this lab (steps: 03.1, 03.2)'],
    [['// TODO(03.1): x', '// #region solution', '// #region solution'], 'a.ts:3: a solution region cannot hold another'],
    [['// TODO(03.1): x', '// #region solution', 'x;'], 'a.ts:2: this solution region has no "// #endregion"'],
    [['// #endregion'], 'a.ts:1: "#endregion" without "#region solution"'],
    [['// #starter x;'], 'a.ts:1: a "#starter" line belongs inside a solution region'],
  ])('a malformed solution is refused with its file and line: %j', (lines, message) => {
    expect(() => starter(lines)).toThrow(StarterError);
    expect(() => starter(lines)).toThrow(message);
  });
});

describe('generating and comparing a lab', async () => {
  const [lab] = await discoverLabs(FIXTURE_ROOT);
  mkdirSync(join(REPO_ROOT, '.workbook'), { recursive: true });
  const out = mkdtempSync(join(REPO_ROOT, '.workbook', 'starters-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('the fixture lab generates exactly its committed starters; non-TypeScript files are copied verbatim', () => {
    expect(generateLab(FIXTURE_ROOT, lab!, out)).toEqual(['src/data.json', 'src/greet.ts', 'src/words.ts']);
    expect(compareLab(join(out, lab!.slug), join(FIXTURE_ROOT, 'labs', lab!.slug))).toEqual([]);
    expect(readFileSync(join(out, lab!.slug, 'src/data.json'), 'utf8')).toBe(readFileSync(join(FIXTURE_ROOT, 'solutions', lab!.slug, 'src/data.json'), 'utf8'));
  });

  test('drift names the file, the first differing line, and missing or extra files', () => {
    const copy = join(out, 'edited');
    generateLab(FIXTURE_ROOT, lab!, copy);
    const dir = join(copy, lab!.slug);
    writeFileSync(join(dir, 'src/words.ts'), readFileSync(join(dir, 'src/words.ts'), 'utf8').replace('return 0;', 'return 1;'));
    rmSync(join(dir, 'src/data.json'));
    mkdirSync(join(dir, 'src/extra'));
    writeFileSync(join(dir, 'src/extra/notes.ts'), '');
    writeFileSync(join(dir, 'README.md'), 'the guide is never compared');
    expect(compareLab(join(out, lab!.slug), dir)).toEqual([
      { file: 'src/data.json', problem: 'missing' },
      { file: 'src/words.ts', problem: 'differs', line: 5, expected: '  return 0;', actual: '  return 1;' },
      { file: 'src/extra/notes.ts', problem: 'extra' },
    ]);
  });
});

test('the reader\'s view of a solution keeps its code and drops the generator\'s markers', () => {
  const source = ['// TODO(91.1): Greet.', 'export function greet(name: string) {', '  // #region solution', "  // #starter return '';", '  return `Hello, ${name}!`;', '  // #endregion', '}'].join('\n');
  expect(readerSource(source)).toBe(['// TODO(91.1): Greet.', 'export function greet(name: string) {', '  return `Hello, ${name}!`;', '}'].join('\n'));
});
