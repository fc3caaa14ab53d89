// The course text's links: every relative link in a Markdown page reaches a file, and every #anchor a
// heading of that file, so a learner never follows a dead link.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { headingAnchors } from '#shared/workbook/verify.ts';

const SKIP = new Set(['node_modules', '.git', '.workbook', 'fixtures']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Links outside code blocks: [text](target). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

test('every relative link in the course text reaches a file and a heading', () => {
  const broken: string[] = [];
  for (const file of markdownFiles(REPO_ROOT)) {
    for (const link of links(readFileSync(file, 'utf8'))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#');
      const target = path ? join(dirname(file), decodeURIComponent(path)) : file;
      const where = `${relative(REPO_ROOT, file)} → ${link}`;
      if (!existsSync(target)) broken.push(`${where} (no such file)`);
      else if (anchor && statSync(target).isFile() && target.endsWith('.md') && !headingAnchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${where} (no such heading)`);
      }
    }
  }
  expect(broken, 'dead links in the course text').toEqual([]);
});
