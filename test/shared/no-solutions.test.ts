// solutions/ holds answers only: nothing the workbook runs imports it, so a copy without it (a classroom
// edition) works for learners. Two proofs:
//   1. No file outside solutions/ imports from it when it runs. esbuild strips the types as tsx does
//      (tsconfig's verbatimModuleSyntax: `import { type X }` keeps the import). The checks name lab code's
//      types from labs/ (`typeof import('../../labs/...')`), never solutions/, so a classroom edition
//      type-checks its checks too.
//   2. A copy of the repository without solutions/, its labs/ holding the solution files as a learner
//      who finished would: every module resolves, the manifests and settings load, and doctor passes.
//      That every check passes in such a copy is proved end to end on the classroom edition (which has
//      no solutions/ either): test/shared/end-to-end/classroom-edition.test.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isInside, REPO_ROOT } from '#shared/workbook/repo.ts';
import { listFiles } from '#shared/workbook/starters.ts';

const SOURCE = /\.[cm]?[jt]s$/;
/** Never scanned: installed packages (the workbook's, and the MCP Inspector's in interop/), run output, git, and the answers themselves. */
const NOT_SCANNED = /^(node_modules|\.workbook|\.git|solutions|interop)\//;

/** Each place in `source` (a file at `file`, absolute) that reaches into `solutions` when it runs: the path as written. */
async function runtimeReferences(source: string, file: string, solutions: string): Promise<string[]> {
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } }, // as tsx runs the workbook
  });
  // What is left is JavaScript: any relative path in it that lands in solutions/ (an import, a dynamic
  // import, a new URL(..., import.meta.url)) is a runtime reference.
  return [...code.matchAll(/(['"`])(\.\.?\/[^'"`\n]*)\1/g)]
    .map((match) => match[2]!)
    .filter((path) => isInside(solutions, resolve(dirname(file), path)));
}

describe('nothing outside solutions/ imports it when it runs', () => {
  test('no file of the workbook (shared, scripts, checks, labs) does; none of package.json\'s import aliases points there', async () => {
    const solutions = join(REPO_ROOT, 'solutions');
    // Walk only the folders scanned: node_modules is large, and other tests write and delete under .workbook/.
    const files = readdirSync(REPO_ROOT, { withFileTypes: true })
      .filter((entry) => !NOT_SCANNED.test(`${entry.name}/`))
      .flatMap((entry) => (entry.isDirectory() ? listFiles(join(REPO_ROOT, entry.name)).map((file) => `${entry.name}/${file}`) : [entry.name]))
      .filter((file) => SOURCE.test(file));
    expect(files.length, 'the workbook files were found').toBeGreaterThan(150);
    const found: string[] = [];
    for (const file of files) {
      const path = join(REPO_ROOT, file);
      for (const reference of await runtimeReferences(readFileSync(path, 'utf8'), path, solutions)) found.push(`${file}: ${reference}`);
    }
    expect(found, 'these run code from solutions/: take shared rules from shared/, lab code through importTarget() (the target), and a solution\'s types with `import type`').toEqual([]);
    const { imports = {} } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { imports?: Record<string, string> };
    expect(Object.entries(imports).filter(([, to]) => to.replace(/^\.\//, '').startsWith('solutions/')), 'package.json imports that lead into solutions/').toEqual([]);
  });

  test('the checks name lab code\'s types from labs/, not solutions/ (a classroom edition type-checks them)', () => {
    const checks = listFiles(join(REPO_ROOT, 'test')).filter((file) => /^\d\d-[^/]+\/.*\.ts$/.test(file));
    expect(checks.length, 'the lab check files were found').toBeGreaterThan(30);
    const naming = checks.filter((file) => /['"`](\.\.\/)+solutions\//.test(readFileSync(join(REPO_ROOT, 'test', file), 'utf8')));
    expect(naming, "these name a solution's file: write typeof import('../../labs/NN-slug/src/file.ts')").toEqual([]);
  });

  test('a wrong version fails: a value import, a dynamic import, a URL; types alone pass', async () => {
    const solutions = join(REPO_ROOT, 'solutions');
    const file = join(REPO_ROOT, 'shared', 'example.ts');
    const references = (source: string) => runtimeReferences(source, file, solutions);
    expect(await references("import { hashSecret } from '../solutions/03-confidential-client/src/secrets.ts';\nhashSecret('x');")).toEqual(['../solutions/03-confidential-client/src/secrets.ts']);
    expect(await references("import { type Session } from '../solutions/03-confidential-client/src/token-store.ts';"), 'verbatimModuleSyntax keeps this import: it loads the module').toHaveLength(1);
    expect(await references('const lab = (file: string) => import(`../solutions/${file}`);')).toEqual(['../solutions/${file}']);
    expect(await references("const url = new URL('../solutions/01-registration/src/settings-rules.ts', import.meta.url);")).toHaveLength(1);
    expect(await references("import type { Session } from '../solutions/03-confidential-client/src/token-store.ts';\ntype S = typeof import('../solutions/x.ts');\nlet s: S | Session;")).toEqual([]);
    expect(await references("const where = join(REPO_ROOT, 'solutions', slug); // data, not an import")).toEqual([]);
  });
});

describe('a copy of the repository without solutions/', () => {
  // Inside the repository, as a learner's clone would be laid out; its node_modules is the repository's.
  const copy = join(REPO_ROOT, '.workbook', 'no-solutions', String(process.pid));
  const labSlugs = readdirSync(join(REPO_ROOT, 'solutions')).filter((name) => /^\d\d-/.test(name)).sort();

  /** Runs `node --import tsx <args>` in the copy. */
  const inCopy = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', ...args], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, WORKBOOK_MODE: 'mock', WORKBOOK_TARGET: 'labs', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      timeout: 120_000,
    });

  beforeAll(() => {
    rmSync(copy, { recursive: true, force: true });
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'vitest.config.ts', 'shared', 'scripts', 'labs']) {
      cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
    }
    for (const folder of readdirSync(join(REPO_ROOT, 'test')).filter((name) => /^\d\d-/.test(name))) {
      cpSync(join(REPO_ROOT, 'test', folder), join(copy, 'test', folder), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    // A learner who finished: each lab's files are the solution's (the guides stay the copy's own).
    for (const slug of labSlugs) cpSync(join(REPO_ROOT, 'solutions', slug, 'src'), join(copy, 'labs', slug, 'src'), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('it has no solutions/, and every module of the workbook, the checks and the labs resolves', async () => {
    expect(readdirSync(copy)).not.toContain('solutions');
    const entries = listFiles(copy)
      .filter((file) => !file.startsWith('node_modules/') && /\.ts$/.test(file))
      .map((file) => join(copy, file));
    // esbuild resolves every import as Node would (package.json `imports`, relative paths), or fails naming it.
    const result = await build({
      absWorkingDir: copy,
      entryPoints: entries,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outdir: 'out',
      logLevel: 'silent',
    }).catch((error: { errors?: Array<{ text: string; location?: { file: string } }> }) => {
      throw new Error(`modules that do not resolve without solutions/:\n${(error.errors ?? []).map((e) => `  ${e.location?.file}: ${e.text}`).join('\n')}`);
    });
    const reached = Object.keys(result.metafile.inputs);
    expect(reached.filter((file) => file.startsWith('solutions/') || file.includes('/solutions/')), 'nothing is loaded from a solutions/ folder').toEqual([]);
    expect(reached, 'lab 04 runs on the copy\'s own lab 03').toContain('labs/03-confidential-client/src/auth-provider.ts');
  });

  test('the manifests and the settings catalogue load, and doctor passes', () => {
    writeFileSync(
      join(copy, 'probe.ts'),
      [
        "import { doctor } from '#shared/workbook/learner/cli-doctor.ts';",
        "import { discoverLabs } from '#shared/workbook/labs.ts';",
        "import { loadSettings } from '#shared/settings.ts';",
        'const labs = await discoverLabs();',
        "const settings = loadSettings({ need: ['server', 'localClient', 'mcpClient'] });",
        "console.log(JSON.stringify({ labs: labs.map((lab) => lab.slug), server: settings.server.clientId.length }));",
        'process.exitCode = await doctor(); // npm start -- doctor',
      ].join('\n'),
    );
    const probe = inCopy(['probe.ts']);
    const [loaded, ...doctorLines] = probe.stdout.split('\n');
    expect(JSON.parse(loaded ?? 'null'), probe.stderr).toEqual({ labs: labSlugs, server: 36 });
    expect(doctorLines.join('\n'), 'npm start -- doctor passes').not.toMatch(/✗/);
    expect(probe.status, `npm start -- doctor:\n${probe.stdout}${probe.stderr}`).toBe(0);
  });
});
