// A lab's script for a check that starts it as a child process (lab 02's stdio server), compiled ahead
// into one ES module with esbuild, so the child runs on plain `node`. Under `node --import tsx`, every
// module the child loads, msal's and the MCP SDK's included, passes through tsx's loader hooks, which
// doubles the child's start-up; here the TypeScript is stripped once, in the parent, by the same esbuild
// tsx uses, and the packages load from node_modules as Node loads them. The child is the same program:
// the lab's files and the shared code they import, in the same order, with the real libraries, its own
// stdin, stdout, stderr, environment and exit code.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { labFolders } from './labs.ts';
import { REPO_ROOT } from './repo.ts';

/** Inside the repository, so the compiled files find its node_modules and resolve packages as the sources do. */
const COMPILED_DIR = join(REPO_ROOT, '.workbook', 'compiled');
/**
 * Every save of a lab file compiles anew: the most recently used files stay (a check file starts its
 * compiled script more than once; other check files compile theirs meanwhile), the others go.
 */
const KEPT = 50;

/**
 * Each file keeps its own `import.meta.url`, `dirname` and `filename` (a path built from them, such as
 * the settings' `.env`, is the same as under tsx), though its code now lives in one file.
 */
const keepImportMeta: Plugin = {
  name: 'keep-import-meta',
  setup(compiler) {
    compiler.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
      if (/[\\/]node_modules[\\/]/.test(path)) return undefined;
      const source = await readFile(path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.filename', JSON.stringify(path));
      return { contents, loader: path.endsWith('ts') ? 'ts' : 'js' };
    });
  },
};

export interface CompileOptions {
  /**
   * Load the labs' manifests first (default true), so `todo()` names the lab, the step and the file in
   * the child as it does under tsx, where it imports them itself (a computed import, which a compiled
   * file cannot follow).
   */
  manifests?: boolean;
  /** Where the compiled files go (default: .workbook/compiled/, inside the repository). */
  dir?: string;
  /** How many compiled files the folder keeps, the most recently used (default 50). */
  keep?: number;
}

/**
 * Compiles `script` (an absolute path) into one ES module under `.workbook/compiled/` and returns its
 * path. Files are named by their content: a script compiled again unchanged is the same file, and a
 * check file running beside another never reads one half written. A script that does not compile
 * throws esbuild's message, naming the file and line. What differs from tsx: `import.meta.resolve` of a
 * relative path, and an `import()` of a computed path, resolve from the compiled file.
 */
export async function compileScript(script: string, options: CompileOptions = {}): Promise<string> {
  const manifests = (options.manifests ?? true) ? labFolders(REPO_ROOT).map((folder) => join(REPO_ROOT, 'test', folder, 'lab.ts')) : [];
  const entry = [...manifests, script].map((file) => `import ${JSON.stringify(file)};`).join('\n');
  const result = await build({
    stdin: { contents: entry, resolveDir: dirname(script), sourcefile: 'compiled-entry.ts', loader: 'ts' },
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external', // node_modules load as Node loads them; `#shared/*` and relative imports are compiled in
    outfile: join(COMPILED_DIR, 'script.mjs'), // not written (write: false); the source map's paths are relative to it
    sourcemap: 'inline', // with --enable-source-maps, a stack names the lab's own .ts files and lines
    sourcesContent: false,
    plugins: [keepImportMeta],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const dir = options.dir ?? COMPILED_DIR;
  const file = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!usedAgain(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
    removeOldest(dir, options.keep ?? KEPT);
  }
  return file;
}

/** Marks a compiled file as just used, so removeOldest keeps it; false if there is none (any more). */
function usedAgain(file: string): boolean {
  try {
    const now = new Date();
    utimesSync(file, now, now);
    return true;
  } catch {
    return false; // never compiled, or removed by another run a moment ago: compile it again
  }
}

function removeOldest(dir: string, kept: number): void {
  const compiled = readdirSync(dir)
    .filter((name) => name.endsWith('.mjs'))
    .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.at - a.at);
  for (const { path } of compiled.slice(kept)) rmSync(path, { force: true });
}

/** Node's arguments that run a compiled script, with source maps for its stack traces. */
export function compiledScriptArgs(file: string, imports: string[] = []): string[] {
  return ['--enable-source-maps', ...imports.flatMap((module) => ['--import', pathToFileURL(module).href]), file];
}

/** Compilations of this process, by file: a check file that starts its script again reuses them. */
const compiling = new Map<string, Promise<string>>();

/**
 * Node's arguments that run a lab's `script` compiled, after `imports` (each compiled too, without the
 * manifests: the fake tenant's register.ts, for one). Each file is compiled once per process.
 */
export async function compiledChildArgs(script: string, imports: string[] = []): Promise<string[]> {
  const compile = (file: string, manifests: boolean) => {
    if (!compiling.has(file)) compiling.set(file, compileScript(file, { manifests }));
    return compiling.get(file)!;
  };
  const [server, ...preloaded] = await Promise.all([compile(script, true), ...imports.map((file) => compile(file, false))]);
  return compiledScriptArgs(server!, preloaded);
}
