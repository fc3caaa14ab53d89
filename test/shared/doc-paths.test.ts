// The course text names files of this repository in backticks: `labs/03-confidential-client/src/auth-provider.ts`,
// `shared/workbook/learner/cli.ts`, `src/token-store.ts` in a lab guide. Each of them must exist, so a file that is
// renamed or moved fails here instead of sending a reader to nothing. And no page points outside the
// repository (a notes file next to it, someone's home folder): a reader has only the repository.
//
// What counts as a path of this repository, in an inline code span or a token of a code block:
// - it starts with a top-level entry of the repository and a `/` (`labs/...`, `.github/...`), or with `./`;
// - or it has a `/` and ends in a file extension (`src/auth-provider.ts`, `api-gateway/mcp-server-policy.xml`);
// - or, in a lab guide (English or Chinese), it is a bare `name.ts`: a file of that lab;
// - or it starts with an import alias of package.json (`#shared/workbook/todo.ts`).
// It resolves against the repository root or the page's folder; `src/...` is a lab's file (in a lab guide,
// that lab's or one it builds on, `buildsOn` in its manifest: a bare name is in their src/ folders;
// elsewhere, any lab's). In a lab guide, `../...` may also be an import as the lab's src/ files write it.
// Not paths: URLs, placeholders (`NN-slug`, `<dir>`, `*`, `{id}`, `...`), a relative import in a code
// example (relative to a source file the page does not name), and the text of `text`/`console` blocks
// (shell output, whose paths are relative to wherever the command ran). Paths under `.workbook/` exist
// only once something has run, so they are checked against GENERATED below instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLabs, labsBuiltOn } from '#shared/workbook/labs.ts';
import { isInside, REPO_ROOT } from '#shared/workbook/repo.ts';
import { codeBlocks, inlineCode, markdownFiles } from './markdown.ts';

/**
 * What the workbook writes under `.workbook/` (ignored by git) at run time, that the course text may
 * name, and the maintainers' interop install: each with the file that writes it (and names it), and
 * why a reader meets it.
 */
const GENERATED: Record<string, { writtenBy: string; why: string }> = {
  '.workbook/results/': { writtenBy: 'shared/workbook/results.ts', why: 'every test run writes results.json (and junit.xml when asked)' },
  '.workbook/progress.json': { writtenBy: 'shared/workbook/learner/progress.ts', why: 'the CLI remembers hints shown and labs completed' },
  '.workbook/certs/': { writtenBy: 'shared/dev-certificates.ts', why: 'the local CA and localhost certificate, made on first use' },
  '.workbook/lab-01.env': { writtenBy: 'test/01-registration/lab.ts', why: 'lab 01\'s hand run writes its settings here, never to your .env' },
  '.workbook/lab-04/': { writtenBy: 'labs/04-best-practices/src/store-keys.ts', why: 'lab 04\'s encrypted token store and its key' },
  '.workbook/grading/': { writtenBy: 'shared/workbook/grading/grade-batch.ts', why: 'npm run grade: scratch copies, results and the gradebook' },
  '.workbook/samples': { writtenBy: 'shared/workbook/grading/grade-samples.ts', why: 'where the instructor guide puts the sample submissions (npm run grade -- --samples)' },
  '.workbook/runs/': { writtenBy: 'shared/workbook/run-checks.ts', why: 'the stubs through which checks of several targets share their workers, for one run' },
  '.workbook/pristine/': { writtenBy: 'shared/workbook/starters.ts', why: 'the untouched starters verify and reset generate' },
  '.workbook/cache/': { writtenBy: 'shared/workbook/untouched.ts', why: 'the hashes of the generated starters, so npm start knows a lab nobody started without generating it' },
  '.workbook/fixtures/': { writtenBy: 'test/shared/workbook/fixture.ts', why: 'copies of the fixture workbook the machinery\'s tests change' },
  '.workbook/mutants/': { writtenBy: 'shared/workbook/maintainer/mutants-run.ts', why: 'npm run mutants: one copy of a lab\'s solution per mutant' },
  '.workbook/fake-tenant/': { writtenBy: 'shared/fake-tenant/keys.ts', why: 'signing keys kept between check runs (reuseSigningKeys), and the state each hand run\'s tenant keeps (standalone.ts, hand-run-<port>.json)' },
  '.workbook/compiled/': { writtenBy: 'shared/workbook/compiled-script.ts', why: 'lab scripts compiled for checks that start them as child processes' },
  'interop/node_modules/': { writtenBy: 'shared/workbook/maintainer/interop/install.ts', why: 'npm run interop installs the MCP Inspector there, from interop/\'s own lock file; git ignores node_modules/' },
};

/** Paths outside this repository that a page names on purpose: the reader's own files, or where a command writes. */
const NOT_IN_REPOSITORY = new Set([
  '.vscode/mcp.json', // VS Code's MCP servers, in the reader's workspace (labs 02 and 05 show one)
  '../mcp-entra-classroom', // the new folder `npm run classroom -- export` writes the student repository to
]);

/** package.json `imports`: `#shared/*` is `./shared/*`. */
const ALIASES = Object.entries(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).imports as Record<string, string>);
const LABS = await discoverLabs();
const LAB_FOLDERS = LABS.map((lab) => join(REPO_ROOT, 'labs', lab.slug));
const TOP_LEVEL = new Set([...readdirSync(REPO_ROOT).filter((name) => name !== 'node_modules' && name !== '.git'), '.workbook']);
const EXTENSION = /\.(ts|mts|js|mjs|md|json|ya?ml|xml|crt|key|pem|csv|env|html|txt)$/;
const PLACEHOLDER = /NN|<|>|\*|\{|\}|\.\.\.|…|\$|%|\?|\|/;
const URL_LIKE = /^[a-z][a-z+.-]*:/i;
/**
 * Where someone's own files are: a home folder, a scratch or mounted folder, the folder this checkout sits
 * in. (System folders such as /usr/bin/chromium or /etc/mcp-server/tls/ are fine: a reader's machine has them.)
 */
const LOCAL_ROOT = new RegExp(`(?<![\\w.~/-])(?:/(?:home|Users|root|tmp|mnt|media|work|workspace)/|${escapeRegExp(dirname(REPO_ROOT) + sep)})`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lab folder a page is the guide of (labs/NN-slug/README.md, docs/zh-CN/labs/NN-slug.md), if any. */
function labOf(page: string): string | undefined {
  const path = relative(REPO_ROOT, page).split(sep).join('/');
  const slug = /^labs\/(\d\d-[^/]+)\/README\.md$/.exec(path)?.[1] ?? /^docs\/zh-CN\/labs\/(\d\d-[^/]+)\.md$/.exec(path)?.[1];
  return slug ? join(REPO_ROOT, 'labs', slug) : undefined;
}

/** A lab's folder and the folders of the labs it builds on: whose files its guide may name. */
function labAndEarlier(lab: string): string[] {
  const manifest = LABS.find((candidate) => join(REPO_ROOT, 'labs', candidate.slug) === lab);
  return [lab, ...(manifest ? labsBuiltOn(manifest, LABS).map((earlier) => join(REPO_ROOT, 'labs', earlier.slug)) : [])];
}

/** A code span or a line of a code block, cut into the words that may be paths. */
function tokens(text: string): string[] {
  // A relative import in an example is relative to the example's own file, which the page does not name.
  const withoutRelativeImports = text.replace(/(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])\.{1,2}\/[^'"]*\2/g, '$1');
  return withoutRelativeImports
    .split(/[\s=,;"'`()[\]]+/)
    .map((token) => token.replace(/[.,:;!]+$/, ''))
    .filter(Boolean);
}

function looksLikePath(token: string, lab: string | undefined): boolean {
  if (URL_LIKE.test(token) || token.startsWith('/') || token.startsWith('~')) return false;
  if (/^#\w+\//.test(token)) return true;
  if (/^\.{1,2}\//.test(token)) return true;
  const slash = token.indexOf('/');
  if (slash > 0 && TOP_LEVEL.has(token.slice(0, slash))) return true;
  if (slash > 0 && EXTENSION.test(token)) return true;
  return lab !== undefined && /^[\w.-]+\.ts$/.test(token);
}

type Verdict = { ok: true; reason?: undefined } | { ok: false; reason: string };
const OUTSIDE = 'points outside the repository';

function checkPath(token: string, page: string): Verdict {
  const pageDir = dirname(page);
  const lab = labOf(page);
  if (NOT_IN_REPOSITORY.has(token)) return { ok: true };
  if (token.startsWith('#')) {
    const alias = ALIASES.find(([name]) => token.startsWith(name.replace(/\*$/, '')));
    if (!alias) return { ok: false, reason: 'uses an import alias package.json does not have' };
    if (token === alias[0] || token === alias[0].replace(/\*$/, '')) return { ok: true }; // `#shared/*`: the alias itself
    return checkRepositoryPath(join(alias[1].replace(/\*$/, ''), token.slice(alias[0].length - 1)));
  }
  if (token.startsWith('../')) {
    const targets = [pageDir, ...(lab ? [join(lab, 'src')] : [])].map((base) => resolve(base, token));
    const inside = targets.filter((target) => isInside(REPO_ROOT, target)).map((target) => checkRepositoryPath(relative(REPO_ROOT, target)));
    const verdict = inside.find((candidate) => candidate.ok) ?? inside[0];
    // `../shared/NOTES.md` on a page one folder down: missing there, and outside from the root.
    if (!verdict?.ok && !isInside(REPO_ROOT, resolve(REPO_ROOT, token))) return { ok: false, reason: OUTSIDE };
    return verdict ?? { ok: false, reason: OUTSIDE };
  }
  const labs = lab ? labAndEarlier(lab) : LAB_FOLDERS;
  const bases = [REPO_ROOT, pageDir, ...(token.startsWith('src/') ? labs : []), ...(lab && !token.includes('/') ? labs.map((folder) => join(folder, 'src')) : [])];
  const candidates = bases.map((base) => relative(REPO_ROOT, resolve(base, token))).filter((path) => !path.startsWith('..'));
  const verdicts = candidates.map(checkRepositoryPath);
  return verdicts.find((verdict) => verdict.ok) ?? verdicts[0] ?? { ok: false, reason: OUTSIDE };
}

function checkRepositoryPath(path: string): Verdict {
  const slashed = path.split(sep).join('/');
  if (slashed === '.workbook') return { ok: true }; // the folder itself: everything the workbook writes
  if (slashed.startsWith('.workbook/') || slashed.startsWith('interop/node_modules')) {
    const known = Object.keys(GENERATED).some((generated) => slashed === generated.replace(/\/$/, '') || slashed.startsWith(generated.endsWith('/') ? generated : `${generated}/`));
    return known ? { ok: true } : { ok: false, reason: 'is under .workbook/ but not in GENERATED (doc-paths.test.ts): what writes it?' };
  }
  return existsSync(join(REPO_ROOT, path)) ? { ok: true } : { ok: false, reason: 'no such file or folder' };
}

/** Where a page's paths are: its inline code spans, and the lines of code blocks that hold code or commands. */
function pathTexts(markdown: string): string[] {
  const blocks = codeBlocks(markdown).filter(({ lang }) => !['mermaid', 'text', 'console', 'output'].includes(lang));
  return [...inlineCode(markdown), ...blocks.flatMap(({ body }) => body.split('\n'))];
}

/** The paths of a page that do not exist, each with its reason. */
function stalePaths(file: string, text: string): string[] {
  const lab = labOf(file);
  return [...new Set(pathTexts(text).flatMap(tokens))]
    .filter((token) => looksLikePath(token, lab) && (!PLACEHOLDER.test(token) || /^#\w+\/\*?$/.test(token)))
    .flatMap((token) => {
      const verdict = checkPath(token, file);
      return verdict.ok ? [] : [`\`${token}\` ${verdict.reason}`];
    });
}

/** A page's links, code spans and code-block words that leave the repository or name a local folder. */
function pointersOutside(file: string, text: string): string[] {
  const outside: string[] = [];
  for (const match of text.matchAll(new RegExp(`${LOCAL_ROOT.source}[^\\s\`)'"]*`, 'g'))) {
    outside.push(`${match[0].replace(/[.,:;!]+$/, '')} is a folder of someone's machine`);
  }
  for (const [, link] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^file:/i.test(link!)) outside.push(`link ${link} is a file of someone's machine`);
    else if (!URL_LIKE.test(link!) && !isInside(REPO_ROOT, resolve(dirname(file), decodeURIComponent(link!.split('#')[0]!)))) {
      outside.push(`link ${link} leaves the repository`);
    }
  }
  for (const token of new Set(pathTexts(text).flatMap(tokens))) {
    if (token.startsWith('../') && checkPath(token, file).reason === OUTSIDE) outside.push(`\`${token}\` leaves the repository`);
  }
  return [...new Set(outside)];
}

const pages = markdownFiles(REPO_ROOT).map((file) => ({ file, name: relative(REPO_ROOT, file).split(sep).join('/'), text: readFileSync(file, 'utf8') }));
const inRepository = (path: string) => join(REPO_ROOT, path);

describe('the course text names only files that exist', () => {
  test('there are pages and paths to check', () => {
    const count = pages.flatMap(({ file, text }) => pathTexts(text).flatMap(tokens).filter((token) => looksLikePath(token, labOf(file)))).length;
    expect(count, 'paths found in the course text').toBeGreaterThan(200);
  });

  test('every repository path written in backticks exists', () => {
    const broken = pages.flatMap(({ file, name, text }) => stalePaths(file, text).map((problem) => `${name}: ${problem}`));
    expect(broken, 'stale paths in the course text').toEqual([]);
  });

  test.each(Object.entries(GENERATED))('%s: what writes it still names it, and a page names it', (path, { writtenBy }) => {
    expect(existsSync(inRepository(writtenBy)), `${path} is written by ${writtenBy}, which is gone: update GENERATED`).toBe(true);
    const name = path.replace(/\/$/, '').split('/').at(-1)!;
    expect(readFileSync(inRepository(writtenBy), 'utf8'), `${writtenBy} no longer names ${name}: update GENERATED`).toContain(name);
    const named = pages.some(({ text }) => text.includes(path.replace(/\/$/, '')));
    expect(named, `no page names ${path}: remove it from GENERATED`).toBe(true);
  });

  test('a moved file, a file of another lab, an unknown run-time file or alias is caught', () => {
    const guide03 = inRepository('labs/03-confidential-client/README.md');
    const guide02zh = inRepository('docs/zh-CN/labs/02-public-client.md');
    const page = inRepository('docs/troubleshooting.md');
    expect(stalePaths(guide03, 'See `src/auth-provider.ts`, `token-store.ts` and `shared/workbook/todo.ts`.')).toEqual([]);
    expect(stalePaths(page, '`npx tsx scripts/verify.ts --root test/shared/workbook/fixtures/workbook`, `#shared/workbook/todo.ts`')).toEqual([]);
    expect(stalePaths(page, '`shared/workbook/todo-message.ts`')).toHaveLength(1);
    expect(stalePaths(guide03, '`cache-key.ts`')).toHaveLength(1); // lab 02's file, named in lab 03's guide
    const guide04 = inRepository('labs/04-best-practices/README.md'); // lab 04 builds on lab 03
    expect(stalePaths(guide04, '`token-store.ts`, `../../03-confidential-client/src/auth-provider.ts`')).toEqual([]);
    expect(stalePaths(guide04, '`cache-key.ts`, `../../03-confidential-client/src/auth-providers.ts`')).toHaveLength(2);
    expect(stalePaths(guide02zh, '`src/auth-provider.ts`')).toHaveLength(1);
    expect(stalePaths(page, '`src/no-such-step.ts`')).toHaveLength(1);
    expect(stalePaths(page, '`.workbook/result/results.json`')).toHaveLength(1);
    expect(stalePaths(page, '`#lab99/server.ts`, `#lab99/*`')).toHaveLength(2);
    expect(stalePaths(page, '`#shared/*`, `#shared/`')).toEqual([]);
    expect(stalePaths(page, '```bash\nnpx tsx scripts/no-such-script.ts\n```')).toHaveLength(1);
    expect(stalePaths(page, '```text\n../../.workbook/lab-01.env now holds:\n```\n`labs/NN-slug/README.md`, `https://example.com/a.ts`')).toEqual([]);
  });
});

describe('no page points outside the repository', () => {
  test('no link, code span or code block leaves the repository or names a local folder', () => {
    const outside = pages.flatMap(({ file, name, text }) => pointersOutside(file, text).map((problem) => `${name}: ${problem}`));
    expect(outside, 'pages that point outside the repository').toEqual([]);
  });

  test('a notes file beside the repository, a home folder or a file: link is caught', () => {
    const page = inRepository('docs/maintainers/architecture.md');
    expect(pointersOutside(page, 'the workaround (see `../shared/NOTES.md`)')).toHaveLength(1);
    expect(pointersOutside(page, '[notes](../../../shared/NOTES.md)')).toHaveLength(1);
    expect(pointersOutside(page, 'read /work/shared/DESIGN.md first')).toHaveLength(1);
    expect(pointersOutside(page, '`/home/alice/notes.md`, [x](file:///tmp/x.md)')).toHaveLength(2);
    expect(pointersOutside(page, '`/mcp`, `/auth/callback`, `/usr/bin/chromium`, `~/.local/share/mcp-workbook`, [guide](../../README.md)')).toEqual([]);
  });
});
