// The course text's links and samples: every relative link in a Markdown page reaches a file, and every
// #anchor a heading of that file, so a learner never follows a dead link; a sample TODO message is the
// real one. (Paths written in backticks: doc-paths.test.ts.)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { todo } from '#shared/workbook/todo.ts';
import { headingAnchors } from '#shared/workbook/maintainer/verify.ts';
import { inlineCode, markdownFiles } from './markdown.ts';

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

// A sample TODO message in the course text (the README's "a step you have not started fails with ...")
// is what the starter really throws for that step: the manifest's title, the guide and the file.
test('every TODO message the course text shows is the one todo() gives for that step', () => {
  const samples: Array<{ page: string; text: string; stepId: string }> = [];
  for (const file of markdownFiles(REPO_ROOT)) {
    for (const span of inlineCode(readFileSync(file, 'utf8'))) {
      const stepId = /^TODO\((\d\d\.\d+)\) \S/.exec(span)?.[1];
      if (stepId) samples.push({ page: relative(REPO_ROOT, file), text: span, stepId });
    }
  }
  expect(samples.map(({ page }) => page), 'the README shows a sample TODO message').toContain('README.md');
  const stale = samples
    .filter(({ text, stepId }) => text !== todo(stepId).message)
    .map(({ page, text, stepId }) => `${page} shows \`${text}\`; todo('${stepId}') says \`${todo(stepId).message}\``);
  expect(stale, 'sample TODO messages that are not the real ones').toEqual([]);
});
