// The classroom edition, as files. `npm run classroom -- export` writes it into .workbook/export-test/:
// it carries the learner's files and the Classroom workflow, not the answers or the maintainers' tools;
// its labs are the pristine starters; its pages and imports name nothing it lacks. Graded end to end
// (npm test, the batch grader, Classroom) in test/shared/end-to-end/classroom-edition.test.ts.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { classroomWorkflow } from '#shared/workbook/grading/grade-classroom.ts';
import { exportClassroom, forLearners } from '#shared/workbook/grading/grade-export.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { compareLab, generateLab, listFiles } from '#shared/workbook/starters.ts';
import { copyFixture } from './fixture.ts';
import { useEdition } from './edition.ts';

const exported = useEdition();
let labs: Lab[];
let scratch: string;
/** The student repository. */
let edition: string;
beforeAll(() => void ({ labs, scratch, root: edition } = exported()));

const read = (file: string) => readFileSync(join(edition, file), 'utf8');
const files = () => listFiles(edition).filter((file) => !file.startsWith('node_modules/') && !file.startsWith('.workbook/'));

describe('the classroom edition', () => {
  test('it carries the learner\'s files and the Classroom workflow, not the answers, the catalogues or the tools', () => {
    const carried = files();
    expect(carried.filter((file) => file.startsWith('solutions/'))).toEqual([]);
    for (const absent of ['scripts/verify.ts', 'scripts/starters.ts', 'scripts/mutants.ts', 'scripts/bench.ts', 'scripts/grade.ts', 'scripts/classroom.ts', 'shared/workbook/maintainer/verify.ts', 'shared/workbook/maintainer/mutants-run.ts', 'shared/workbook/grading/grade-batch.ts', 'shared/workbook/README.md', 'docs/maintainers/architecture.md', '.ci/run']) {
      expect(carried, `${absent} is a maintainer's or instructor's`).not.toContain(absent);
    }
    expect(carried.filter((file) => /^test\/\d\d-[^/]+\/mutants\.ts$/.test(file) || file.startsWith('test/shared/')), 'the mutant catalogues hold pieces of the answers').toEqual([]);
    for (const present of ['package.json', 'package-lock.json', 'README.md', '.gitignore', 'scripts/start.ts', 'scripts/test.ts', 'scripts/lab.ts', 'scripts/classroom-check.ts', 'shared/workbook/learner/cli.ts', 'shared/fake-tenant/transports/standalone.ts', 'docs/README.md']) {
      expect(carried, `a learner needs ${present}`).toContain(present);
    }
    for (const lab of labs) expect(carried, `the checks of ${lab.slug}`).toContain(`test/${lab.slug}/lab.ts`);
    expect(read('.github/workflows/classroom.yml')).toBe(classroomWorkflow(labs));
    expect(read('.gitignore').split('\n')).toEqual(expect.arrayContaining(['node_modules/', '.env', '.workbook/']));
    // Every file of the repository it carries is one forLearners() lets through.
    expect(carried.filter((file) => !file.startsWith('labs/') && file !== '.gitignore' && !forLearners(file))).toEqual([]);
  });

  test('its labs are the pristine starters generated from the solutions, whatever the instructor\'s labs/ holds', () => {
    const pristine = join(scratch, 'pristine');
    for (const lab of labs) {
      generateLab(REPO_ROOT, lab, pristine);
      expect(compareLab(join(pristine, lab.slug), join(edition, 'labs', lab.slug)), lab.slug).toEqual([]);
      expect(existsSync(join(edition, 'labs', lab.slug, 'README.md')), `${lab.slug}'s guide`).toBe(true);
    }
  });

  test('it never takes the instructor\'s labs/: with answers in them, it still has the starters', async () => {
    const fixture = copyFixture();
    try {
      const [lab] = await discoverLabs(fixture.root);
      cpSync(join(fixture.root, 'solutions', lab!.slug, 'src'), join(fixture.root, 'labs', lab!.slug, 'src'), { recursive: true });
      fixture.edit(`labs/${lab!.slug}/README.md`, (text) => `${text}\n<!-- classroom: omit -->\nThe answer is in solutions/.\n<!-- classroom: end -->\n`);
      const out = join(fixture.root, 'out');
      exportClassroom(out, [lab!], fixture.root);
      const pristine = join(fixture.root, 'pristine');
      generateLab(fixture.root, lab!, pristine);
      expect(compareLab(join(pristine, lab!.slug), join(out, 'labs', lab!.slug))).toEqual([]);
      expect(compareLab(join(fixture.root, 'labs', lab!.slug), join(out, 'labs', lab!.slug)), 'the instructor\'s answers').not.toEqual([]);
      expect(readFileSync(join(out, 'labs', lab!.slug, 'README.md'), 'utf8')).not.toContain('solutions/');
      expect(existsSync(join(out, 'solutions'))).toBe(false);
      expect(() => exportClassroom(out, [lab!], fixture.root), 'never over a folder that holds something').toThrow(/not empty/);
    } finally {
      fixture.remove();
    }
  });

  test('its package.json names only scripts it has, and its pages no absent command and no absent file', () => {
    const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(Object.keys(manifest.scripts).sort()).toEqual(['lab', 'start', 'tenant', 'test', 'typecheck']);
    for (const [name, command] of Object.entries(manifest.scripts)) {
      for (const file of command.split(/\s+/).filter((word) => /\.(ts|js)$/.test(word))) expect(existsSync(join(edition, file)), `npm run ${name}: ${file}`).toBe(true);
    }
    const problems: string[] = [];
    for (const page of files().filter((file) => file.endsWith('.md'))) {
      const text = read(page);
      const prose = text.replace(/```[\s\S]*?```/g, '');
      for (const [, target] of prose.matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g)) {
        if (!/^[a-z]+:/i.test(target!) && !existsSync(resolve(dirname(join(edition, page)), decodeURIComponent(target!)))) problems.push(`${page} links to ${target}`);
      }
      // The README is what a learner reads first: every command it names must be there.
      if (page === 'README.md' || page === 'docs/zh-CN/README.md') {
        for (const [, script] of text.matchAll(/npm run ([\w:-]+)/g)) if (!(script! in manifest.scripts)) problems.push(`${page} names npm run ${script}`);
        if (/solutions\//.test(text)) problems.push(`${page} names solutions/`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every module its code imports is in it', () => {
    const missing: string[] = [];
    for (const file of files().filter((name) => name.endsWith('.ts'))) {
      // What runs: imports and re-exports but `import type`, and `await import('...')`. The checks' types
      // of the reference (`typeof import('../../solutions/...')`) are erased when they run.
      const imports = read(file).matchAll(/^(?:import(?!\s+type\b)|export)\b[^;]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'|\bawait\s+import\(\s*'([^']+)'/gm);
      for (const specifier of [...imports].map((match) => match[1] ?? match[2] ?? match[3])) {
        const path = specifier!.startsWith('#shared/') ? join(edition, 'shared', specifier!.slice('#shared/'.length)) : specifier!.startsWith('.') ? resolve(dirname(join(edition, file)), specifier!) : undefined;
        if (path && !existsSync(path)) missing.push(`${file} imports ${specifier} (${relative(edition, path)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
