// Code that also runs against a real tenant never imports the fake tenant. Every file under
// solutions/*/src runs live (WORKBOOK_MODE=live), so none of them may reach shared/fake-tenant/ through
// its imports, however many files lie between: well-known ids come from shared/entra/, development
// certificates from shared/dev-certificates.ts. The starters in labs/ are generated from these files, with
// the same imports (npm run starters -- --check proves it), so they are covered too.
//
// esbuild follows the imports as Node and tsx would run them: `#shared/*` through package.json, relative
// paths, and no `import type` (it vanishes at runtime). tsconfig's verbatimModuleSyntax keeps an import
// whose names are never used, so adding one is enough to fail this test.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FAKE_TENANT = 'shared/fake-tenant/';

/**
 * Hand-run helpers: scripts that only try a lab by hand and may drive the local fake tenant. Each one is
 * named here with its reason; every other file under solutions/*\/src is live code.
 */
const HAND_RUN_HELPERS: Record<string, string> = {
  // An MCP client that starts the lab's server; against the local fake tenant (FAKE_TENANT_BRIDGE set) it
  // loads the server with the fake's register.ts, so the server's own Graph calls reach that tenant.
  'solutions/02-public-client/src/hand-run.ts': 'starts src/server.ts with the fake tenant\'s register.ts (bridge.ts) in a hand run',
  // MCP clients that start the lab's server (src/main.ts) and sign a user in through the local fake tenant's
  // page with its scripted browser; against a real tenant they sign nobody in and say what to open instead.
  'solutions/03-confidential-client/src/hand-run.ts': 'signs Megan in with the fake tenant\'s browser person (browser-person.ts) in a hand run',
  'solutions/04-best-practices/src/hand-run.ts': 'signs Megan and Adele in with the fake tenant\'s browser person (browser-person.ts) in a hand run',
};

/** Every `.ts` file under solutions/NN-slug/src/, relative to the repository, `/`-separated. */
async function solutionFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const lab of await readdir(join(ROOT, 'solutions'))) {
    const src = join(ROOT, 'solutions', lab, 'src');
    for (const entry of await readdir(src, { recursive: true }).catch(() => [])) {
      if (entry.endsWith('.ts')) files.push(relative(ROOT, join(src, entry)).split('\\').join('/'));
    }
  }
  return files.sort();
}

/** Each file reachable from `entries`, with the repository files it imports (packages are left out). */
async function importGraph(entries: string[]): Promise<Map<string, string[]>> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: entries,
    bundle: true, // follow the imports
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external', // npm packages are not ours to check; `#shared/*` still resolves to our files
    outdir: 'out', // required with several entry points; nothing is written
    logLevel: 'silent',
  });
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(file, input.imports.filter((used) => !used.external).map((used) => used.path));
  }
  return graph;
}

/** The first import chain from `entry` into the fake tenant (breadth first: the shortest), if any. */
function chainToFakeTenant(graph: Map<string, string[]>, entry: string): string[] | undefined {
  const cameFrom = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (file.startsWith(FAKE_TENANT)) {
      const chain = [file];
      for (let step = cameFrom.get(file); step !== undefined; step = cameFrom.get(step)) chain.unshift(step);
      return chain;
    }
    for (const next of graph.get(file) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** `a.ts -> b.ts -> shared/fake-tenant/x.ts` for each entry that reaches the fake tenant. */
async function chainsToFakeTenant(entries: string[]): Promise<string[]> {
  const graph = await importGraph(entries);
  return entries.flatMap((entry) => {
    const chain = chainToFakeTenant(graph, entry);
    return chain ? [chain.join(' -> ')] : [];
  });
}

describe('live code never imports the fake tenant', () => {
  test('no file under solutions/*/src reaches shared/fake-tenant/, except the named hand-run helpers', async () => {
    const files = await solutionFiles();
    for (const helper of Object.keys(HAND_RUN_HELPERS)) {
      expect(files, `the hand-run helper ${helper} is still there (or drop it from HAND_RUN_HELPERS)`).toContain(helper);
    }
    const live = files.filter((file) => !(file in HAND_RUN_HELPERS));
    expect(live.length, 'the lab files were found').toBeGreaterThan(40);
    const chains = await chainsToFakeTenant(live);
    expect(
      chains,
      'live code imports the fake tenant. Take well-known ids from shared/entra/ and development certificates from ' +
        'shared/dev-certificates.ts; a script only for hand runs goes in HAND_RUN_HELPERS, with its reason',
    ).toEqual([]);
  });

  test('the hand-run helpers are named as such in their own import of the fake tenant', async () => {
    for (const helper of Object.keys(HAND_RUN_HELPERS)) {
      const text = await readFile(join(ROOT, helper), 'utf8');
      expect(text, `${helper} says, above its import of the fake tenant, that it is a hand-run helper`).toMatch(/hand-run helper[^]*?\nimport [^\n]*fake-tenant/);
    }
  });

  describe('a wrong version fails it, naming the chain', () => {
    // Files laid out like lab code, inside the repository so that `#shared/*` resolves.
    const dir = join(ROOT, '.workbook', 'live-imports-test', String(process.pid));
    const at = (name: string) => relative(ROOT, join(dir, name)).split('\\').join('/');
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test('a direct import, an import through another module, but not a type-only import', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'direct.ts'), "import { TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';\nexport const answer = 42;\n");
      await writeFile(join(dir, 'helper.ts'), "import { TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';\nexport const tenant = TENANT_ID;\n");
      await writeFile(join(dir, 'indirect.ts'), "import { loadSettings } from '#shared/settings.ts';\nimport { tenant } from './helper.ts';\nexport const both = [loadSettings, tenant];\n");
      await writeFile(join(dir, 'types-only.ts'), "import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';\nexport type Tenant = FakeTenant;\nexport const fine = true;\n");

      const chains = await chainsToFakeTenant([at('direct.ts'), at('indirect.ts'), at('types-only.ts')]);
      expect(chains).toEqual([
        `${at('direct.ts')} -> shared/fake-tenant/default-tenant.ts`,
        `${at('indirect.ts')} -> ${at('helper.ts')} -> shared/fake-tenant/default-tenant.ts`,
      ]);
    });
  });
});
