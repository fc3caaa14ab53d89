// The Simplified Chinese pages use one Chinese form per security term, the one in the terminology table
// (docs/zh-CN/terminology.md, after Microsoft's zh-cn documentation): where an English page uses a term
// of the table outside code, its translation uses the fixed Chinese form; and no Chinese page uses a form
// the table forbids (a client secret is not a bare 密码, a code verifier is not 验证码, a CAPTCHA).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { englishOriginal, markdownFiles, ZH_ROOT } from './markdown.ts';

const TABLE = join(ZH_ROOT, 'terminology.md');

export interface Term {
  /** The English term and its alternative spellings, as the table's first column lists them (`a / b`). */
  english: string[];
  /** The fixed Chinese form. */
  chinese: string;
  /** Forms a Chinese page must not use, as the table's third column lists them (each in a code span). */
  forbidden: string[];
}

/** The rows of the terminology table: `| English | 中文 | 不要写作 | 说明 |`, after the header row. */
export function parseTerminology(markdown: string): Term[] {
  const rows = markdown.split('\n').filter((line) => line.startsWith('|'));
  return rows
    .slice(2) // the header and its |---| line
    .map((row) => row.split('|').slice(1, -1).map((cell) => cell.trim()))
    .map(([english = '', chinese = '', forbidden = '']) => ({
      english: english.split(' / ').map((term) => term.trim()).filter(Boolean),
      chinese,
      forbidden: [...forbidden.matchAll(/`([^`]+)`/g)].map((match) => match[1]!),
    }));
}

/** A fenced code block, also one indented inside a list item. */
const FENCED = /^[ \t]*```(\S*)[^\n]*\n[\s\S]*?^[ \t]*```/gm;
/** An inline code span; it may wrap onto the next line, never across a blank line. */
const INLINE_CODE = /`(?:[^`\n]|\n(?![ \t]*\n))+`/g;
/** A link: its text is read, its target (a path, an anchor like #on-behalf-of-flow) is not. */
const LINK = /\[([^\]\n]*)\]\([^)\s]*\)/g;

/**
 * What a reader reads as text: the page without its code blocks, inline code spans and link targets.
 * Mermaid blocks stay: their labels are sentences a learner reads, in the page's language.
 */
export function readableText(markdown: string): string {
  const blank = (text: string) => text.replace(/[^\n]+/g, ' '); // keeps the line numbers
  return markdown
    .replace(FENCED, (block, lang: string) => (lang === 'mermaid' ? block.replace(/^[ \t]*```.*$/gm, ' ') : blank(block)))
    .replace(INLINE_CODE, blank)
    .replace(LINK, '$1');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An English term as a whole word, any case, a space or a hyphen between its words, plural or not. */
function englishPattern(term: string): RegExp {
  const words = term.split(/[\s-]+/).map(escape).join('[\\s-]+');
  return new RegExp(`(?<![\\w-])${words}(?:s|es)?(?![\\w])`, 'i');
}

/** Chinese text compared without spaces and with ASCII parentheses: 代理（OBO）流 is 代理 (OBO) 流. */
const normalise = (text: string) => text.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');


const terms = existsSync(TABLE) ? parseTerminology(readFileSync(TABLE, 'utf8')) : [];
const pages = markdownFiles(ZH_ROOT)
  .filter((page) => page !== TABLE)
  .map((translation) => ({ name: relative(REPO_ROOT, translation), translation, original: englishOriginal(translation) }));

/** The table's terms an English page uses outside code whose fixed Chinese form its translation lacks. */
export function missingTerms(english: string, chinese: string, table: Term[]): string[] {
  const en = readableText(english);
  const zh = normalise(readableText(chinese));
  return table
    .filter((term) => term.english.some((word) => englishPattern(word).test(en)))
    .filter((term) => !zh.includes(normalise(term.chinese)))
    .map((term) => `${term.english[0]} → ${term.chinese}`);
}

/** The forbidden forms a Chinese page uses outside code, with the line each first appears on. */
export function forbiddenForms(chinese: string, table: Term[]): string[] {
  const lines = readableText(chinese).split('\n');
  return table.flatMap((term) =>
    term.forbidden.flatMap((form) => {
      const line = lines.findIndex((text) => text.includes(form));
      return line < 0 ? [] : [`${form} (line ${line + 1}; write ${term.chinese})`];
    }),
  );
}

describe('the Simplified Chinese pages use the terms of docs/zh-CN/terminology.md', () => {
  test('the table lists the course security terms, each with one Chinese form', () => {
    expect(terms.length, 'docs/zh-CN/terminology.md has no terminology table').toBeGreaterThanOrEqual(30);
    for (const term of terms) {
      expect(term.english.length, `a row of the table has no English term: ${JSON.stringify(term)}`).toBeGreaterThan(0);
      expect(term.chinese, `${term.english[0]} has no Chinese form`).not.toBe('');
      expect(term.forbidden, `${term.english[0]}: ${term.chinese} is listed both as the form and as forbidden`).not.toContain(term.chinese);
    }
    const english = terms.flatMap((term) => term.english.map((word) => word.toLowerCase()));
    expect(english.filter((word, index) => english.indexOf(word) !== index), 'English terms listed twice').toEqual([]);
  });

  test('the pattern finds English terms in prose only, in any spelling of the table', () => {
    const table: Term[] = [{ english: ['sign-in page'], chinese: '登录页', forbidden: ['登陆页'] }];
    expect(missingTerms('Open the sign in pages.', '打开登录页。', table)).toEqual([]);
    expect(missingTerms('Open the Sign-in page.', '打开页面。', table)).toEqual(['sign-in page → 登录页']);
    expect(missingTerms('Run `sign-in page`.\n```\nsign-in page\n```', '运行。', table)).toEqual([]);
    expect(missingTerms('the signin-pageant', '无', table)).toEqual([]);
    expect(forbiddenForms('用 `登陆页`。\n```bash\n登陆页\n```', table)).toEqual([]);
    expect(forbiddenForms('一\n打开登陆页。', table)).toEqual(['登陆页 (line 2; write 登录页)']);
    expect(forbiddenForms('```mermaid\nA->>B: 登陆页\n```', table)).toEqual(['登陆页 (line 2; write 登录页)']);
    expect(forbiddenForms('```bash\nls\n```\n`a\nb` 登陆页', table)).toEqual(['登陆页 (line 5; write 登录页)']);
    expect(missingTerms('1. Step\n   ```ts\n   signInPage()\n   sign-in page\n   ```\n', '步骤', table)).toEqual([]);
    expect(missingTerms('Text `Invalid sign-in\n  page` here, [see](../glossary.md#sign-in-page).', '无', table)).toEqual([]);
    expect(missingTerms('Open [the sign-in page](a.md).', '打开。', table)).toEqual(['sign-in page → 登录页']);
  });

  test('the table is linked from docs/zh-CN/README.md', () => {
    expect(readFileSync(join(ZH_ROOT, 'README.md'), 'utf8'), 'docs/zh-CN/README.md does not link terminology.md').toMatch(/\]\(terminology\.md\)/);
  });

  test.each(pages)('$name uses the fixed form of every table term its English page uses', ({ name, translation, original }) => {
    if (!existsSync(original)) return; // translations.test.ts reports the missing original
    const missing = missingTerms(readFileSync(original, 'utf8'), readFileSync(translation, 'utf8'), terms);
    expect(missing.length, `${name}: ${relative(REPO_ROOT, original)} uses these terms; write their fixed Chinese form (docs/zh-CN/terminology.md): ${missing.join('; ')}`).toBe(0);
  });

  test.each(pages)('$name uses no form the table forbids', ({ name, translation }) => {
    const found = forbiddenForms(readFileSync(translation, 'utf8'), terms);
    expect(found.length, `${name}: forms that docs/zh-CN/terminology.md forbids: ${found.join('; ')}`).toBe(0);
  });
});
