// What the guides say about the labs comes from the manifests (test/NN-slug/lab.ts), so a learner can
// trust a number on a page: each guide's count of checks (English and Chinese), its title and step
// headings, the syllabus's lab headings, and every check or step id any page names.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { markdownFiles } from './markdown.ts';

const labs = await discoverLabs();
const read = (...path: string[]) => readFileSync(join(REPO_ROOT, ...path), 'utf8');
const headings = (markdown: string, level: string) => [...markdown.matchAll(new RegExp(`^${level} (.+)$`, 'gm'))].map((match) => match[1]!);

describe.each(labs.map((lab) => [lab.id, lab] as const))('lab %s', (_id, lab) => {
  const english = read('labs', lab.slug, 'README.md');
  const chinese = read('docs', 'zh-CN', 'labs', `${lab.slug}.md`);

  test('every count of checks in its guide is the manifest\'s, in both languages, and each guide gives it', () => {
    const counts = { english: [...english.matchAll(/\b(\d+) checks\b/g)].map((m) => Number(m[1])), chinese: [...chinese.matchAll(/(\d+) 个检查/g)].map((m) => Number(m[1])) };
    for (const [language, found] of Object.entries(counts)) {
      expect(found.length, `the ${language} guide of lab ${lab.id} says how many checks it has`).toBeGreaterThan(0);
      expect(found, `the ${language} guide of lab ${lab.id} counts ${lab.checks.length} checks (test/${lab.slug}/lab.ts)`).toEqual(found.map(() => lab.checks.length));
    }
  });

  test('its title and step headings are the manifest\'s (English), and the Chinese guide has the same lab and steps', () => {
    expect(headings(english, '#')[0], 'the guide\'s title').toBe(`Lab ${lab.id}: ${lab.title}`);
    expect(headings(english, '###').filter((h) => h.startsWith('Step ')), 'the step headings').toEqual(lab.steps.map((step) => `Step ${step.id.split('.')[1]}: ${step.title}`));
    expect(headings(chinese, '#')[0], 'the Chinese title names the lab').toMatch(new RegExp(`^实验 ${lab.id}：`));
    expect(headings(chinese, '###').filter((h) => h.startsWith('步骤 ')).map((h) => h.split('：')[0]), 'the Chinese step headings').toEqual(lab.steps.map((step) => `步骤 ${step.id.split('.')[1]}`));
  });

  test("the syllabus's heading for it starts with its title, in both languages", () => {
    const chineseTitle = headings(chinese, '#')[0]!;
    expect(headings(read('docs', 'README.md'), '###').find((h) => h.startsWith(`Lab ${lab.id}:`)), 'docs/README.md').toMatch(new RegExp(`^Lab ${lab.id}: ${escape(lab.title)}`));
    expect(headings(read('docs', 'zh-CN', 'syllabus.md'), '###').find((h) => h.startsWith(`实验 ${lab.id}：`)), 'docs/zh-CN/syllabus.md').toMatch(new RegExp(`^${escape(chineseTitle)}`));
  });
});

test('every check id and step id a page names exists in the manifests', () => {
  const known = new Set(labs.flatMap((lab) => [...lab.checks.map((check) => check.id), ...lab.steps.map((step) => step.id)]));
  const labIds = new Set(labs.map((lab) => lab.id));
  const unknown = markdownFiles(REPO_ROOT).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    // A check (03.4.2) anywhere, and a step where it reads as one: `TODO(03.5)`, "step 03.5", "步骤 03.5".
    const ids = [...text.matchAll(/(?<![\w.])(\d\d\.\d+\.\d+)(?![\w.])/g), ...text.matchAll(/(?:TODO\(|[Ss]teps? |步骤 ?)(\d\d\.\d+)(?![.\d])/g)].map((m) => m[1]!);
    return ids.filter((id) => labIds.has(id.slice(0, 2)) && !known.has(id)).map((id) => `${relative(REPO_ROOT, file)}: ${id}`);
  });
  expect([...new Set(unknown)], 'ids no test/NN-slug/lab.ts defines').toEqual([]);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(labs.map((lab) => [lab.id, lab] as const))('lab %s, its key takeaways', (_id, lab) => {
  /** A guide's bullets under its takeaways heading, up to the next `## `. */
  const takeaways = (markdown: string, heading: string) => {
    const start = markdown.indexOf(`\n## ${heading}\n`);
    if (start < 0) return [];
    const section = markdown.slice(start + 1, markdown.indexOf('\n## ', start + 1));
    return section.split('\n').filter((line) => line.startsWith('- '));
  };
  const checkIds = (line: string) => [...line.matchAll(/(?<![\w.])(\d\d\.\d+\.\d+)(?![\w.])/g)].map((match) => match[1]!);

  test('end the guide in both languages, each pointing to checks of this lab, the same ones in Chinese', () => {
    const english = takeaways(read('labs', lab.slug, 'README.md'), 'Key takeaways');
    const chinese = takeaways(read('docs', 'zh-CN', 'labs', `${lab.slug}.md`), '要点');
    expect(english.length, `labs/${lab.slug}/README.md has a Key takeaways section with bullets`).toBeGreaterThan(0);
    expect(english.filter((line) => !checkIds(line).some((id) => id.startsWith(`${lab.id}.`))), 'takeaways that name no check of this lab').toEqual([]);
    expect(chinese.map(checkIds), `docs/zh-CN/labs/${lab.slug}.md: the same takeaways, naming the same checks`).toEqual(english.map(checkIds));
  });
});

test('the syllabus ends with key takeaways in both languages, each pointing to checks', () => {
  // A bullet with its continuation lines (indented two spaces) as one line.
  const bullets = (markdown: string, heading: string) => markdown.slice(markdown.indexOf(`\n## ${heading}\n`)).replace(/\n {2}(?=\S)/g, ' ').split('\n').filter((line) => line.startsWith('- '));
  const english = bullets(read('docs', 'README.md'), 'Key takeaways');
  const chinese = bullets(read('docs', 'zh-CN', 'syllabus.md'), '要点');
  const ids = (line: string) => [...line.matchAll(/(?<![\w.])(\d\d\.\d+\.\d+)(?![\w.])/g)].map((match) => match[1]!);
  expect(english.length, 'docs/README.md ends with takeaways').toBeGreaterThan(0);
  expect(english.filter((line) => ids(line).length === 0), 'takeaways that name no check').toEqual([]);
  expect(chinese.map(ids), 'docs/zh-CN/syllabus.md: the same takeaways, naming the same checks').toEqual(english.map(ids));
});
