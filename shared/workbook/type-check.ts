// Type errors as feedback. The checks run the learner's TypeScript through tsx, which strips the types
// without checking them, so code TypeScript refuses (a `shouldRetry` that compares Retry-After's text with
// a number) can pass them. So every run that turns checks into results also type-checks the labs it
// grades: once per run, not per check, in one `tsc` (TypeScript 7, native: a lab in under a second)
// started beside the vitest run, and a check that passed at run time fails when its step's file (or
// another file with its TODO marker), or a file of its lab that one imports, has a type error, with the
// first one as its message.
//
//   const types = startTypeCheck(root, [{ lab, folder }]);   // as the run starts
//   ... the vitest run ...
//   refusedByTypes(outcome, check, (await types).get(folder)); // as the run becomes results
//
// At most one result per lab is kept (.workbook/cache/type-check/NN-slug.json, replaced each time), under
// a hash of what the errors depend on: the lab's folder and those of the labs it builds on, the shared
// code, TypeScript's settings and the installed packages. An unchanged lab costs no tsc at all.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { digestOf, fileDigests, sha256 } from './fingerprint.ts';
import type { Check, Lab } from './manifest.ts';
import { isInside, REPO_ROOT } from './repo.ts';

/** One error as tsc reports it, its file relative to the lab's folder (`src/graph.ts`). */
export interface LabTypeError {
  file: string;
  line: number;
  column: number;
  /** `TS2365` */
  code: string;
  /** tsc's message, with its follow-up lines (the chain of reasons) after a line break. */
  message: string;
}

/** A lab's type errors, and for each of its steps those blamed on it (its file's first). */
export interface LabTypes {
  errors: LabTypeError[];
  steps: Record<string, LabTypeError[]>;
}

/** What a run's type check found, by the lab's folder in the target (absolute). */
export interface TypeCheck {
  labs: Map<string, LabTypes>;
  /** Why some labs could not be type-checked (tsc did not run): their checks are graded at run time only. */
  problem?: string;
}

/** Two type checks as one. */
export function mergeTypeChecks(a: TypeCheck, b: TypeCheck): TypeCheck {
  const problem = [a.problem, b.problem].filter(Boolean).join('; ');
  return { labs: new Map([...a.labs, ...b.labs]), ...(problem ? { problem } : {}) };
}

/** A lab's types in a check of one copy of each lab (a run's, by its folder's name `NN-slug`). */
export function typesOfLab(types: TypeCheck, slug: string): LabTypes | undefined {
  for (const [folder, lab] of types.labs) if (basename(folder) === slug) return lab;
  return undefined;
}

export interface TypeCheckRequest {
  lab: Pick<Lab, 'slug' | 'steps'>;
  /** The lab's folder in the target: `labs/04-best-practices`, a submission's, a mutant's copy. */
  folder: string;
}

export interface TypeCheckOptions {
  /** Keep one result per lab in `<root>/.workbook/cache/type-check/` (default: true). */
  cache?: boolean;
}

/**
 * The labs (`NN-slug`, comma-separated) that `npm test` type-checks itself while vitest starts
 * (scripts/test.ts): the reporter reads their kept results as the run ends instead of starting a tsc of
 * its own as the run starts.
 */
export const TYPES_AHEAD = 'WORKBOOK_TYPES_AHEAD';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** What type errors depend on besides the labs' folders. */
const SETTINGS = ['shared', 'tsconfig.json', 'package.json', 'package-lock.json'];

/**
 * Type-checks the labs' folders in one tsc, or reads the result kept for their content. Never rejects:
 * a tsc that cannot run is a `problem`, and the checks are then graded at run time only.
 */
export async function startTypeCheck(root: string, requests: readonly TypeCheckRequest[], options: TypeCheckOptions = {}): Promise<TypeCheck> {
  const labs = new Map<string, LabTypes>();
  const cacheDir = join(root, '.workbook', 'cache', 'type-check');
  const keys = new Map<string, string>();
  const toCheck: TypeCheckRequest[] = [];
  let settings: string | undefined;
  for (const request of requests) {
    if (labs.has(request.folder) || !existsSync(request.folder)) continue;
    if (options.cache === false) {
      toCheck.push(request);
      continue;
    }
    settings ??= SETTINGS.map((input) => `${input} ${digestOf(fileDigests(join(REPO_ROOT, input)))}`).join('\n');
    const key = contentKey(request, settings);
    keys.set(request.folder, key);
    const kept = readKept(join(cacheDir, `${request.lab.slug}.json`), key);
    if (kept) labs.set(request.folder, kept);
    else toCheck.push(request);
  }
  if (toCheck.length === 0) return { labs };

  let output: string;
  try {
    output = await runTsc(cacheDir, toCheck.map((request) => request.folder));
  } catch (error) {
    return { labs, problem: `TypeScript did not check ${toCheck.map((request) => request.lab.slug).join(', ')}: ${(error as Error).message}` };
  }
  const errors = parseTscOutput(output);
  for (const request of toCheck) {
    const own = errors.filter((error) => isInside(request.folder, error.path)).map(({ path, ...error }) => ({ ...error, file: relative(request.folder, path).split(sep).join('/') }));
    const types: LabTypes = { errors: own, steps: blame(request, own) };
    labs.set(request.folder, types);
    const key = keys.get(request.folder);
    if (key) keep(join(cacheDir, `${request.lab.slug}.json`), key, types);
  }
  return { labs };
}

/** The hash a kept result must match: the lab's folder and its siblings it imports (the labs it builds on), its steps, the settings. */
function contentKey(request: TypeCheckRequest, settings: string): string {
  // The folders beside it in the target: lab 04 imports lab 03's, and a lab built on 04 both. By content,
  // not place: the errors are named relative to the lab's folder, so two copies of the same work share a result.
  const siblings = dirname(request.folder);
  const imported = [...importedSiblings(request.folder)].sort();
  const folders = [request.folder, ...imported.map((slug) => join(siblings, slug))].map((folder) => `${relative(siblings, folder)} ${digestOf(fileDigests(folder))}`);
  return sha256([...folders, JSON.stringify(request.lab.steps.map((step) => [step.id, step.file])), settings].join('\n'));
}

/**
 * The other lab folders (`03-confidential-client`) that the files of this one import from, and those
 * they import from in turn: a type error in any of them can be this lab's.
 */
export function importedSiblings(folder: string): Set<string> {
  const siblings = dirname(folder);
  const found = new Set<string>();
  const visit = (current: string) => {
    for (const slug of directlyImportedSiblings(current)) {
      if (found.has(slug) || join(siblings, slug) === folder) continue;
      found.add(slug);
      visit(join(siblings, slug));
    }
  };
  visit(folder);
  return found;
}

function directlyImportedSiblings(folder: string): Set<string> {
  const slugs = new Set<string>();
  for (const file of fileDigests(folder).keys()) {
    if (!/\.[cm]?tsx?$/.test(file)) continue;
    for (const specifier of relativeImports(readFileSync(join(folder, file), 'utf8'))) {
      const target = resolve(folder, dirname(file), specifier);
      if (!isInside(folder, target)) slugs.add(relative(dirname(folder), target).split(sep)[0]!);
    }
  }
  return slugs;
}

function readKept(file: string, key: string): LabTypes | undefined {
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { key: string; types: LabTypes };
    return kept.key === key ? kept.types : undefined;
  } catch {
    return undefined; // none kept yet, or another lab content's
  }
}

/** Replaces the lab's one kept result, whole: a run reading it at the same moment sees the old or the new. */
function keep(file: string, key: string, types: LabTypes): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify({ key, types }));
    renameSync(temporary, file);
  } catch {
    // a result not kept costs the next run one tsc
  }
}

let tscStarted = 0;

/** How many tsc processes this process has started (its tests count them: one per run, never one per check). */
export function tscRuns(): number {
  return tscStarted;
}

/** One `tsc --noEmit` over these folders with the workbook's settings; its output (it exits 2 on type errors). */
async function runTsc(cacheDir: string, folders: string[]): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const config = join(cacheDir, `tsconfig.${process.pid}.${Date.now()}.json`);
  const slash = (path: string) => path.split(sep).join('/');
  // Only these folders are the program's roots; what they import (shared code, the labs they build on)
  // comes along and is checked too, but only errors inside the folders are theirs.
  writeFileSync(config, JSON.stringify({ extends: slash(join(REPO_ROOT, 'tsconfig.json')), include: folders.map((folder) => `${slash(folder)}/**/*.ts`), exclude: ['**/node_modules'] }));
  try {
    return await new Promise<string>((resolvePromise, reject) => {
      // One thread: beside the vitest run it takes a share of one core, and less memory.
      tscStarted++;
      const child = spawn(process.execPath, [TSC, '-p', config, '--pretty', 'false', '--singleThreaded'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        setPriority(child.pid!, 10); // the checks first: they are what the learner waits for
      } catch {
        // not allowed here: it runs at the same priority
      }
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        // 0: no errors; 1 or 2: errors reported. Anything else, or no error lines with a failure, is tsc's own trouble.
        if (code === 0 || / error TS\d+:/.test(output)) resolvePromise(output);
        else reject(new Error(output.trim().split('\n')[0] || `tsc exited with ${code}`));
      });
    });
  } finally {
    rmSync(config, { force: true });
  }
}

/** tsc's `path(line,col): error TSnnnn: message` lines, each with its indented follow-up lines; paths absolute. */
export function parseTscOutput(output: string): (Omit<LabTypeError, 'file'> & { path: string })[] {
  const errors: (Omit<LabTypeError, 'file'> & { path: string })[] = [];
  let current: (typeof errors)[number] | undefined;
  for (const line of output.split(/\r?\n/)) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (match) {
      current = { path: resolve(REPO_ROOT, match[1]!), line: Number(match[2]), column: Number(match[3]), code: match[4]!, message: match[5]! };
      errors.push(current);
    } else if (current && /^\s+\S/.test(line)) current.message += `\n${line.trimEnd()}`;
    else current = undefined;
  }
  return errors;
}

/**
 * For each step, the errors in its files and in the files of the lab they import, its own first. A step's
 * files: the manifest's `step.file`, and any other file of the lab that holds its `TODO(NN.S)` marker
 * (lab 04's step 4 is graph.ts and rate-limit.ts).
 */
function blame(request: TypeCheckRequest, errors: LabTypeError[]): Record<string, LabTypeError[]> {
  const steps: Record<string, LabTypeError[]> = {};
  if (errors.length === 0) return steps;
  const sources = [...fileDigests(request.folder).keys()].filter((file) => /\.[cm]?tsx?$/.test(file)).map((file) => [file, readFileSync(join(request.folder, file), 'utf8')] as const);
  for (const step of request.lab.steps) {
    const own = new Set([step.file, ...sources.filter(([, text]) => text.includes(`TODO(${step.id})`)).map(([file]) => file)]);
    const files = new Set([...own].flatMap((file) => [...importClosure(request.folder, file)]));
    const blamed = errors.filter((error) => files.has(error.file));
    if (blamed.length > 0) steps[step.id] = [...blamed.filter((error) => own.has(error.file)), ...blamed.filter((error) => !own.has(error.file))];
  }
  return steps;
}

/** `file` and the files of the lab folder it imports, directly or through others (relative to the folder). */
export function importClosure(folder: string, file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const path = join(folder, name);
    if (!existsSync(path)) return;
    for (const specifier of relativeImports(readFileSync(path, 'utf8'))) {
      const target = resolve(dirname(path), specifier);
      if (isInside(folder, target)) visit(relative(folder, target).split(sep).join('/'));
    }
  };
  visit(file);
  return seen;
}

/** The relative specifiers a module imports or re-exports: `from './x.ts'`, `import './x.ts'`, `import('./x.ts')`. */
export function relativeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\.?\/[^'"]+)\1/g)) specifiers.push(match[2]!);
  return specifiers;
}

/**
 * A check's outcome with its lab's types: a check that passed at run time fails when TypeScript refuses
 * its step's file or a file of the lab that file imports, with the first such error as its message.
 * Any other outcome (a failure, a TODO, a skip) is already the learner's next instruction, and stays.
 */
export function refusedByTypes<T extends { status: string; message?: string; typeError?: true }>(outcome: T, check: Pick<Check, 'step'>, types: LabTypes | undefined): T {
  const errors = types?.steps[check.step];
  if (outcome.status !== 'passed' || !errors?.length) return outcome;
  return { ...outcome, status: 'failed', message: typeFailureMessage(errors), typeError: true };
}

/** The first error as tsc prints it (`src/graph.ts:42:57 - error TS2365: ...`), and what it means for the check. */
export function typeFailureMessage(errors: readonly LabTypeError[]): string {
  const [first] = errors;
  const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
  return [
    `${first!.file}:${first!.line}:${first!.column} - error ${first!.code}: ${first!.message}`,
    `The check passed at run time, but TypeScript refuses the code: fix the type error${more} (npm run typecheck lists them all).`,
  ].join('\n');
}
