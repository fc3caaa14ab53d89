// The "Break it" machinery: the attacker's notebook hides secrets, the story reads as it should, and every
// lab with attacks has a guide section that names the command and the change to make.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { narrator } from '#shared/workbook/break-it/attack.ts';
import { hasAttacks, type AttackOutcome } from '#shared/workbook/break-it/run.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import { formatAttacks } from '#shared/workbook/learner/cli-break.ts';
import { loadCatalogue, sectionText } from '#shared/workbook/maintainer/mutants.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

test('the notebook shows a secret by its name, even inside an answer, and longer secrets whole', () => {
  const lines: string[] = [];
  const say = narrator(lines);
  const code = say.secret('code-0123456789abcdef', 'the code');
  say.secret('code-0123456789abcdef-and-more', 'the longer code');
  say.send(`GET /callback?code=${code}`);
  say.answer('302 Location: /client?code=code-0123456789abcdef-and-more');
  say.note('short values (under 8 characters) are not secrets: abc');
  expect(lines, 'each line is marked by what it is, and no secret shows').toEqual([
    '→ GET /callback?code=‹the code›',
    '← 302 Location: /client?code=‹the longer code›',
    '· short values (under 8 characters) are not secrets: abc',
  ]);
});

const lab = { id: '03', slug: '03-confidential-client', checks: [{ id: '03.2.1', title: 'a replayed state is refused' }] } as Parameters<typeof formatAttacks>[0];
const attack = (verdict: AttackOutcome['verdict'], why?: string): AttackOutcome => ({ title: 'replay the callback', proves: '03.2.1', lines: ['→ GET /auth/callback'], verdict, ...(why ? { why } : {}) });
const shown = (outcomes: AttackOutcome[]) => stripVTControlCharacters(formatAttacks(lab, outcomes).join('\n'));

test('an attack that held names the check that proves it on every run, and says to break the code next', () => {
  const text = shown([attack('held')]);
  expect(text, 'the verdict and its check').toContain('held. Check 03.2.1 (a replayed state is refused) proves this on every run of npm test.');
  expect(text, 'what to do next: break it on purpose, as the guide says').toContain(`the guide's "Break it" section says which line to change (labs/03-confidential-client/README.md#break-it)`);
});

test('an attack that got through says why, and how to run the check that guards it', () => {
  const text = shown([attack('got-through', 'the state worked twice')]);
  expect(text, 'why it got through').toContain('GOT THROUGH: the state worked twice');
  expect(text, 'the command for its check').toContain('npx vitest run test/03-confidential-client -t 03.2.1');
  expect(text, 'the count').toContain('1 of 1 attacks got through.');
});

test('an attack with nothing to attack yet shows the TODO, and no verdict on the code', () => {
  const text = shown([attack('not-ready', 'TODO(03.1) Start the sign-in')]);
  expect(text, 'the TODO').toContain('nothing to attack yet: TODO(03.1) Start the sign-in');
  expect(text, 'neither held nor got through').not.toMatch(/held\.|GOT THROUGH/);
});

test('each lab with attacks has a "Break it" section, in both languages, with the command and the change to make', async () => {
  for (const lab of await discoverLabs()) {
    if (!hasAttacks(lab)) continue;
    const guide = readFileSync(join(REPO_ROOT, 'labs', lab.slug, 'README.md'), 'utf8');
    const section = sectionText(guide, '#break-it');
    expect(section, `labs/${lab.slug}/README.md has a section "## Break it"`).toBeDefined();
    expect(section, `the section runs the attacks: npm start -- break ${lab.id}`).toContain(`npm start -- break ${lab.id}`);
    const change = (await loadCatalogue(REPO_ROOT, lab.slug))?.mutants.find((mutant) => mutant.breakIt);
    expect(change?.replace, `test/${lab.slug}/mutants.ts marks the section's change breakIt: true`).toBeDefined();
    expect(section, 'the section shows the change to make (the breakIt mutant\'s replacement)').toContain(change!.replace);
    const translation = readFileSync(join(REPO_ROOT, 'docs', 'zh-CN', 'labs', `${lab.slug}.md`), 'utf8');
    expect(translation, `docs/zh-CN/labs/${lab.slug}.md runs the attacks too`).toContain(`npm start -- break ${lab.id}`);
    expect(translation, 'and shows the same change').toContain(change!.replace);
  }
});
