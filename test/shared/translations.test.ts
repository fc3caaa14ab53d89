// The Simplified Chinese pages stay in step with the English ones: every page under docs/zh-CN/ has an
// English original, and both have the same headings at the same levels, in the same order, and the same
// number of code blocks. A section added to one page and not the other fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { englishOriginal, ZH_ROOT } from './markdown.ts';



function translations(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return translations(path);
    // The terminology table is written for the Chinese pages; it translates no English page.
    if (path === join(ZH_ROOT, 'terminology.md')) return [];
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const CODE_BLOCK = /^```[\s\S]*?^```/gm;

/** The heading levels of a page, outside code blocks (a `# comment` in a bash block is not a heading). */
function headingLevels(markdown: string): number[] {
  const prose = markdown.replace(CODE_BLOCK, '');
  return [...prose.matchAll(/^(#{1,6})\s+\S/gm)].map((match) => match[1]!.length);
}

const codeBlockCount = (markdown: string) => markdown.match(CODE_BLOCK)?.length ?? 0;

const pages = translations(ZH_ROOT).map((translation) => ({
  name: relative(REPO_ROOT, translation),
  translation,
  original: englishOriginal(translation),
}));

describe('the Simplified Chinese pages follow the English ones', () => {
  test('there are translations to compare', () => {
    expect(pages.length, 'no pages under docs/zh-CN/').toBeGreaterThan(0);
  });

  test.each(pages)('$name has an English original with the same headings and code blocks', ({ name, translation, original }) => {
    expect(existsSync(original), `${name} translates ${relative(REPO_ROOT, original)}, which does not exist`).toBe(true);
    const zh = readFileSync(translation, 'utf8');
    const en = readFileSync(original, 'utf8');
    expect(headingLevels(zh), `${name}: heading levels differ from ${relative(REPO_ROOT, original)} (a section added, removed or moved?)`).toEqual(
      headingLevels(en),
    );
    expect(codeBlockCount(zh), `${name}: number of code blocks differs from ${relative(REPO_ROOT, original)}`).toBe(codeBlockCount(en));
  });
});
