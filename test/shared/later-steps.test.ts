// A check that needs a later step of its own lab (its requireSteps names one) cannot pass when its own
// step is done: its step's section says so in the guide, in English and in Chinese, naming that step;
// the failure says it too (check.ts: "03.4.2 needs step 03.5 too: TODO(03.5) ...").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

/** For each check of a lab's check files: the steps its `requireSteps(...)` names (literal ids only). */
function requiredSteps(slug: string): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  const folder = join(REPO_ROOT, 'test', slug);
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.test.ts'))) {
    const chunks = readFileSync(join(folder, file), 'utf8').split(/^check\('/m).slice(1);
    for (const chunk of chunks) {
      const id = chunk.slice(0, chunk.indexOf("'"));
      const calls = [...chunk.matchAll(/requireSteps\(([^)]*)\)/g)].flatMap((call) => [...call[1]!.matchAll(/'(\d\d\.\d+)'/g)].map((step) => step[1]!));
      needs.set(id, calls);
    }
  }
  return needs;
}

/** Step N's section of a guide: from its `### Step N` (or `### 步骤 N`) heading to the next heading. */
function stepSection(markdown: string, stepNumber: string): string {
  const start = markdown.search(new RegExp(`^### (?:Step|步骤) ${stepNumber}[:：]`, 'm'));
  if (start < 0) return '';
  const next = markdown.slice(start + 4).search(/^#{2,3} /m);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, start + 4 + next);
}

test('a step whose checks need a later step says so in its guide section, in both languages', async () => {
  const missing: string[] = [];
  for (const lab of await discoverLabs()) {
    const order = lab.steps.map((step) => step.id);
    const guides = {
      [`labs/${lab.slug}/README.md`]: readFileSync(join(REPO_ROOT, 'labs', lab.slug, 'README.md'), 'utf8'),
      [`docs/zh-CN/labs/${lab.slug}.md`]: readFileSync(join(REPO_ROOT, 'docs', 'zh-CN', 'labs', `${lab.slug}.md`), 'utf8'),
    };
    for (const [checkId, steps] of requiredSteps(lab.slug)) {
      const own = lab.checks.find((check) => check.id === checkId)?.step;
      if (!own) continue;
      for (const later of steps.filter((step) => order.indexOf(step) > order.indexOf(own))) {
        for (const [page, text] of Object.entries(guides)) {
          if (!stepSection(text, own.split('.')[1]!).includes(later)) missing.push(`${page}, step ${own}: ${checkId} needs step ${later}`);
        }
      }
    }
  }
  expect(missing, 'say in the step\'s section that its checks need the later step, naming its id (e.g. "they need step 03.5 too")').toEqual([]);
});

test('the scan finds what lab 03 step 4 needs (so the test above is not vacuous)', () => {
  expect(requiredSteps('03-confidential-client').get('03.4.2')).toContain('03.5');
});
