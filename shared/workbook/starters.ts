// The starter generator: labs/NN-slug/ is solutions/NN-slug/ with every solution region replaced.
//   // TODO(03.2): Redeem the authorization code.
//   // #region solution
//   // #starter return undefined;     <- optional: the starter's text instead of the default
//   const result = await msal.acquireTokenByCode(request);
//   // #endregion
// becomes `throw todo('03.2');` (or the #starter lines) at the region's indentation.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { labsBuiltOn } from './labs.ts';
import type { Lab } from './manifest.ts';
import { displayPath, REPO_ROOT } from './repo.ts';

export const TODO_IMPORT = "import { todo } from '#shared/workbook/todo.ts';";

/** The lab's guide is written by hand in labs/: the generator never writes or compares it. */
export const HAND_WRITTEN: ReadonlySet<string> = new Set(['README.md']);
const TYPESCRIPT = /\.[cm]?tsx?$/;

const TODO_COMMENT = /\/\/\s*TODO\((\d\d\.\d+)\)/;
const REGION_START = /^(\s*)\/\/\s*#region solution\s*$/;
const REGION_END = /^\s*\/\/\s*#endregion\b/;
const STARTER_LINE = /^(\s*)\/\/\s*#starter ?(.*)$/;

/** A solution file as a reader sees it: the same code without the generator's region and starter lines. */
export function readerSource(source: string): string {
  return source
    .split('\n')
    .filter((line) => !REGION_START.test(line) && !REGION_END.test(line) && !STARTER_LINE.test(line))
    .join('\n');
}

export class StarterError extends Error {
  override name = 'StarterError';
}

/**
 * The starter text of one solution file. `stepIds` are the lab's steps: every region must sit under a
 * `TODO(NN.S)` comment naming one of them. `file` names the file in errors.
 */
export function starterSource(source: string, file: string, stepIds: ReadonlySet<string>): string {
  const lines = source.split('\n');
  const output: string[] = [];
  let todoId: string | undefined;
  let region: { indent: string; stepId: string; line: number; starter: string[] } | undefined;

  lines.forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    if (region) {
      const starter = STARTER_LINE.exec(line);
      if (REGION_START.test(line)) throw new StarterError(`${where}: a solution region cannot hold another (the one at line ${region.line} is still open)`);
      if (REGION_END.test(line)) {
        output.push(...(region.starter.length > 0 ? region.starter : [`${region.indent}throw todo('${region.stepId}');`]));
        region = undefined;
      } else if (starter) {
        region.starter.push(`${starter[1]}${starter[2]}`);
      }
      return;
    }
    const start = REGION_START.exec(line);
    if (start) {
      if (!todoId) throw new StarterError(`${where}: a solution region must sit under a "// TODO(NN.S): ..." comment naming its step`);
      if (!stepIds.has(todoId)) throw new StarterError(`${where}: TODO(${todoId}) names no step of this lab (steps: ${[...stepIds].join(', ')})`);
      region = { indent: start[1] ?? '', stepId: todoId, line: index + 1, starter: [] };
      return;
    }
    if (REGION_END.test(line)) throw new StarterError(`${where}: "#endregion" without "#region solution"`);
    if (STARTER_LINE.test(line)) throw new StarterError(`${where}: a "#starter" line belongs inside a solution region`);
    todoId = TODO_COMMENT.exec(line)?.[1] ?? todoId;
    output.push(line);
  });
  if (region) throw new StarterError(`${file}:${region.line}: this solution region has no "// #endregion"`);

  return needsTodoImport(output) ? addTodoImport(output).join('\n') : output.join('\n');
}

function needsTodoImport(lines: string[]): boolean {
  const code = lines.filter((line) => !line.trimStart().startsWith('//'));
  return code.some((line) => /(?<![\w.$])todo\(/.test(line)) && !code.some((line) => line.includes('#shared/workbook/todo.ts'));
}

/** Adds the todo import after the file's leading imports (or below its header comment if it has none). */
function addTodoImport(lines: string[]): string[] {
  let afterImports = -1;
  let inImport = false;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (inImport || line.startsWith('import ')) {
      inImport = !/;\s*$/.test(line) && !/from\s+['"][^'"]+['"]/.test(line); // a multi-line import goes on
      afterImports = index + 1;
    } else if (line !== '' && !line.startsWith('//') && !line.startsWith('/*') && !line.startsWith('*')) {
      break;
    }
  }
  if (afterImports >= 0) return [...lines.slice(0, afterImports), TODO_IMPORT, ...lines.slice(afterImports)];
  let header = 0;
  while (header < lines.length && lines[header]!.trim().startsWith('//') && !TODO_COMMENT.test(lines[header]!)) header++;
  const gap = lines[header]?.trim() === '' ? [] : [''];
  return [...lines.slice(0, header), TODO_IMPORT, ...gap, ...lines.slice(header)];
}

/**
 * Where verify and `starters --check` generate the untouched starters of the workbook at `root`: always
 * under this repository's .workbook/ (ignored by git and tsc), one folder per workbook.
 */
export function pristineDir(root: string): string {
  const name = root === REPO_ROOT ? 'pristine' : `pristine-${displayPath(root).replace(/[^\w-]+/g, '_')}`;
  return join(REPO_ROOT, '.workbook', name);
}

/**
 * Where verify grades the untouched starter of `lab`, once `pristine` holds the generated starters: that
 * folder itself, or, for a lab that builds on earlier ones, a folder of its own (beside it) holding the
 * lab's starter and the earlier labs' solutions. A check then fails on the starter because of this lab's
 * TODOs, never only because an earlier lab is unfinished.
 */
export function starterTarget(root: string, lab: Lab, labs: readonly Lab[], pristine: string): string {
  const earlier = labsBuiltOn(lab, labs);
  if (earlier.length === 0) return pristine;
  const target = join(starterTargetsDir(pristine), lab.slug);
  rmSync(target, { recursive: true, force: true });
  cpSync(join(pristine, lab.slug), join(target, lab.slug), { recursive: true });
  for (const built of earlier) cpSync(join(root, 'solutions', built.slug), join(target, built.slug), { recursive: true });
  return target;
}

/** The folder beside `pristine` that holds the starters of labs that build on others (one target per lab). */
export function starterTargetsDir(pristine: string): string {
  return `${pristine}-on-solutions`;
}

/** Every file of a folder, relative to it, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The files of a lab the generator owns: all of solutions/NN-slug/ but the hand-written guide. */
function generatedFiles(dir: string): string[] {
  return listFiles(dir).filter((file) => !HAND_WRITTEN.has(file));
}

/**
 * The starters of `lab`, generated from `root/solutions/<slug>/` in memory: each file's text (or bytes,
 * for a file that is not TypeScript) by its path relative to the lab folder, sorted.
 */
export function starterFiles(root: string, lab: Pick<Lab, 'slug' | 'steps'>): Map<string, string | Buffer> {
  const from = join(root, 'solutions', lab.slug);
  if (!existsSync(from)) throw new StarterError(`${displayPath(from)} is missing: the starters of ${lab.slug} are generated from it`);
  const stepIds = new Set(lab.steps.map((step) => step.id));
  return new Map(
    generatedFiles(from).map((file) => {
      const path = join(from, file);
      return [file, TYPESCRIPT.test(file) ? starterSource(readFileSync(path, 'utf8'), displayPath(path, REPO_ROOT), stepIds) : readFileSync(path)];
    }),
  );
}

/**
 * Writes the starters of `lab` from `root/solutions/<slug>/` into `outRoot/<slug>/`, removing generated
 * files the solution no longer has. Returns the files written.
 */
export function generateLab(root: string, lab: Pick<Lab, 'slug' | 'steps'>, outRoot: string): string[] {
  const to = join(outRoot, lab.slug);
  const starters = starterFiles(root, lab);
  for (const stale of generatedFiles(to).filter((file) => !starters.has(file))) rmSync(join(to, stale));
  for (const [file, content] of starters) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    writeFileSync(join(to, file), content);
  }
  return [...starters.keys()];
}

export interface Drift {
  /** The file, relative to the lab folder. */
  file: string;
  problem: 'missing' | 'extra' | 'differs';
  /** For `differs`: the first line that differs (1-based), and both versions of it. */
  line?: number;
  expected?: string;
  actual?: string;
}

/** How `actualDir` differs from `expectedDir` (generated files only; README.md is never compared). */
export function compareLab(expectedDir: string, actualDir: string): Drift[] {
  const expected = generatedFiles(expectedDir);
  const actual = generatedFiles(actualDir);
  const drift: Drift[] = [];
  for (const file of expected) {
    if (!actual.includes(file)) {
      drift.push({ file, problem: 'missing' });
      continue;
    }
    const want = readFileSync(join(expectedDir, file), 'utf8').split('\n');
    const have = readFileSync(join(actualDir, file), 'utf8').split('\n');
    const index = want.findIndex((line, i) => line !== have[i]);
    const at = index === -1 && have.length !== want.length ? want.length : index;
    if (at !== -1) drift.push({ file, problem: 'differs', line: at + 1, expected: want[at] ?? '(end of file)', actual: have[at] ?? '(end of file)' });
  }
  for (const file of actual) if (!expected.includes(file)) drift.push({ file, problem: 'extra' });
  return drift;
}

export function describeDrift(slug: string, drift: Drift): string {
  const file = `labs/${slug}/${drift.file}`;
  if (drift.problem === 'missing') return `${file} is missing (the solution has it)`;
  if (drift.problem === 'extra') return `${file} is not generated from solutions/${slug}/ (remove it, or add it to the solution)`;
  return `${file}:${drift.line} differs from the generated starter\n      expected: ${drift.expected?.trim()}\n      found:    ${drift.actual?.trim()}`;
}
