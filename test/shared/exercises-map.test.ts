// docs/exercises.md maps the lesson behind the course (microsoft/mcp-for-beginners, "Securing AI
// Workflows: Entra ID Authentication for MCP Servers") to the workbook: each of its parts, its exercise
// questions and its hands-on exercises 1-4 has a row naming the lab step that builds it and the checks
// that prove it. Every id named there exists, and the Chinese page maps each row to the same ids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const labs = await discoverLabs();
const checks = new Set(labs.flatMap((lab) => lab.checks.map((check) => check.id)));
const steps = new Set(labs.flatMap((lab) => lab.steps.map((step) => step.id)));

/** The rows of the tables in a page's mapping section (from its heading to the next `## `), header rows left out. */
function mapRows(page: string, heading: string): string[] {
  const text = readFileSync(join(REPO_ROOT, 'docs', page), 'utf8');
  const start = text.indexOf(`## ${heading}`);
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  return section.split('\n').filter((line) => line.startsWith('| ') && !/^\| -/.test(line)).filter((_row, index, rows) => !isHeader(rows, index));
}

/** A table's header: the row just above its `| --- |` line (which mapRows has dropped), found by its columns. */
function isHeader(rows: string[], index: number): boolean {
  return /^\| (the lesson's part|the lesson asks|那节课的部分|那节课问) \|/.test(rows[index]!);
}

const idsOf = (row: string) => ({
  checks: [...row.matchAll(/(?<![\w.])(\d\d\.\d+\.\d+)(?![\w.])/g)].map((match) => match[1]!),
  steps: [...row.matchAll(/(?<![\w.])(\d\d\.\d+)(?![\w.\d])/g)].map((match) => match[1]!),
});

const english = mapRows('exercises.md', 'The lesson, mapped to the course');
const chinese = mapRows('zh-CN/exercises.md', '课程内容与实验的对应');

/** What the lesson holds that a learner must find here: its parts, best practices, questions and exercises. */
const LESSON = [
  'why protecting MCP servers matters', 'Microsoft Entra ID', 'OAuth 2.0 as a valet key', 'the authentication flow', 'MSAL',
  'public and confidential clients', 'scenario 1, registering', 'scenario 1, the local stdio server', 'scenario 1, the Windows broker',
  'scenario 2, registering', 'scenario 2, the remote Express server', 'scenario 2, session tokens',
  'always HTTPS', 'role-based access', 'monitor and audit', 'rate limits and throttling', 'secure token storage', 'token expiry', 'an API gateway',
  'key takeaways', 'question 1', 'question 2', 'question 3', 'exercise 1', 'exercise 2', 'exercise 3', 'exercise 4',
];

test('every part, question and exercise of the lesson has a row', () => {
  const missing = LESSON.filter((part) => !english.some((row) => row.split('|')[1]!.includes(part))); // its first cell
  expect(missing, 'parts of the lesson with no row in docs/exercises.md').toEqual([]);
});

test('every row names the checks that prove it (the API gateway, read only, none), and every check and step it names exists', () => {
  const unproved = english.filter((row) => idsOf(row).checks.length === 0 && !row.includes('not built: read only') && !row.includes('key takeaways'));
  expect(unproved, 'rows with no check').toEqual([]);
  const unknown = [...english, ...chinese].flatMap((row) => [...idsOf(row).checks.filter((id) => !checks.has(id)), ...idsOf(row).steps.filter((id) => !steps.has(id))]);
  expect(unknown, 'ids no test/NN-slug/lab.ts defines').toEqual([]);
});

test('the Chinese map has the same rows, each naming the same checks and steps', () => {
  expect(chinese.length, 'rows in docs/zh-CN/exercises.md').toBe(english.length);
  expect(chinese.map(idsOf), 'ids row by row').toEqual(english.map(idsOf));
});
