// The course text as the docs tests read it: every Markdown page of the repository, its fenced code
// blocks, and its prose (the page without them).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

/** Not course text: installed packages, git, run-time files, and the machinery's own test fixtures. */
const SKIP = new Set(['node_modules', '.git', '.workbook', 'fixtures']);

/** Every `.md` file under `dir`, outside node_modules, .workbook and fixtures. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const FENCED = /^```(\S*)[^\n]*\n([\s\S]*?)^```/gm;

/** The fenced code blocks of a page: their language tag ('' when untagged) and their text. */
export function codeBlocks(markdown: string): Array<{ lang: string; body: string }> {
  return [...markdown.matchAll(FENCED)].map((match) => ({ lang: match[1]!, body: match[2]! }));
}

/** A page without its fenced code blocks. */
export function prose(markdown: string): string {
  return markdown.replace(FENCED, '');
}

/** The text of every inline code span (`...`) in a page's prose. */
export function inlineCode(markdown: string): string[] {
  return [...prose(markdown).matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
}

/** The Simplified Chinese pages. */
export const ZH_ROOT = join(REPO_ROOT, 'docs', 'zh-CN');

/**
 * The English page a translation comes from: two pages are renamed, a lab guide labs/NN-slug.md
 * translates labs/NN-slug/README.md, the rest keep their path under docs/.
 */
export function englishOriginal(translation: string): string {
  const path = relative(ZH_ROOT, translation);
  if (path === 'README.md') return join(REPO_ROOT, 'README.md');
  if (path === 'syllabus.md') return join(REPO_ROOT, 'docs', 'README.md');
  const lab = /^labs[\\/](.+)\.md$/.exec(path);
  if (lab) return join(REPO_ROOT, 'labs', lab[1]!, 'README.md');
  return join(REPO_ROOT, 'docs', path);
}
