// The classroom edition, end to end. `npm run classroom -- export` writes it into .workbook/export-test/
// (with this repository's node_modules linked in, instead of a second install); there `npm test` fails
// on the starters, and with the reference solutions copied into its labs/ it earns every point, as its
// Classroom workflow does. Then a submission with failing checks and a skipped one scores the same in
// `npm test`, the batch grader and Classroom. About 75 s on two cores (72 s measured; 122 s with other
// work running): `npm test` on the starters up to its first failure (4 s), on the solutions (37 s), then
// `npm test` and the batch grader at once on a submission with one lab (32 s, most of it loading every
// lab's check files).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gradeSubmissions } from '#shared/workbook/grading/grade-batch.ts';
import { gradebookCsv } from '#shared/workbook/grading/grade-csv.ts';
import { classroomWorkflow } from '#shared/workbook/grading/grade-classroom.ts';
import { exportClassroom, forLearners } from '#shared/workbook/grading/grade-export.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { readResults, type WorkbookResults } from '#shared/workbook/results.ts';
import { compareLab, generateLab, listFiles } from '#shared/workbook/starters.ts';
import { classroomScore, graderSteps } from './classroom.ts';
import { copyFixture } from './fixture.ts';

const MINUTES = 60_000;
let labs: Lab[];
let scratch: string;
/** The student repository. */
let edition: string;

beforeAll(async () => {
  labs = await discoverLabs();
  mkdirSync(join(REPO_ROOT, '.workbook', 'export-test'), { recursive: true });
  scratch = mkdtempSync(join(REPO_ROOT, '.workbook', 'export-test', 'run-'));
  edition = join(scratch, 'submissions', 'edition');
  exportClassroom(edition, labs);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(edition, 'node_modules'), 'junction');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const read = (file: string) => readFileSync(join(edition, file), 'utf8');
const files = () => listFiles(edition).filter((file) => !file.startsWith('node_modules/') && !file.startsWith('.workbook/'));

interface NpmTest {
  code: number | null;
  output: string;
  results: WorkbookResults | undefined;
}

/** `npm test` in the student repository, as a learner runs it (mock mode, its own labs/). */
async function npmTest(args: string[] = [], env: Record<string, string> = {}): Promise<NpmTest> {
  const resultsFile = join(edition, '.workbook', 'results', 'results.json');
  rmSync(resultsFile, { force: true });
  // Nothing of this test run's own vitest reaches the learner's run.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WORKBOOK_)/.test(name)));
  const child = spawn('npm', ['test', '--', ...args], { cwd: edition, env: { ...inherited, ...env }, shell: process.platform === 'win32' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, output, results: readResults(resultsFile) };
}

/** The total line of the table `npm test` prints: `Total 40/188 points`. */
function printedTotal(output: string): { earned: number; possible: number } {
  const match = /Total (\d+)\/(\d+) points/.exec(output.replace(/\x1b\[[\d;]*m/g, ''));
  expect(match, `npm test printed no total:\n${output.slice(-2000)}`).not.toBeNull();
  return { earned: Number(match![1]), possible: Number(match![2]) };
}

function total(results: WorkbookResults | undefined): { earned: number; possible: number } {
  const scored = labs.map((lab) => results?.labs.find((result) => result.slug === lab.slug));
  return { earned: scored.reduce((sum, lab) => sum + (lab?.earned ?? 0), 0), possible: scored.reduce((sum, lab) => sum + (lab?.possible ?? 0), 0) };
}

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

  test('npm test fails there on the starters', { timeout: 5 * MINUTES }, async () => {
    // Its first failing check is enough to show it (verify proves every gradable check fails on them).
    const run = await npmTest(['--bail=1']);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.output, 'a check failed').toMatch(/\bFAIL\b.*test\/\d\d-/);
    expect(run.output, 'and not because something is missing').not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)|is missing: the checks/);
  });

  test('with the reference solutions copied into its labs/, npm test and its Classroom workflow give every point', { timeout: 8 * MINUTES }, async () => {
    for (const lab of labs) cpSync(join(REPO_ROOT, 'solutions', lab.slug), join(edition, 'labs', lab.slug), { recursive: true });
    const run = await npmTest();
    const everything = total(run.results);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    expect(everything.possible).toBeGreaterThan(0);
    expect(printedTotal(run.output)).toEqual({ earned: everything.possible, possible: everything.possible });
    expect(classroomScore(read('.github/workflows/classroom.yml'), run.results)).toEqual({ earned: everything.possible, possible: everything.possible });
    const [first] = graderSteps(read('.github/workflows/classroom.yml'));
    expect(await command(first!.command), first!.command).toBe(0);
  });

  test('a submission with failing checks and a skipped one scores the same in npm test, the batch grader and Classroom', { timeout: 8 * MINUTES }, async () => {
    // Lab 01 solved but for its first step; the other labs' folders deleted, and no Chromium here, so
    // lab 03's browser check is skipped (it skips before it looks for the lab). Only lab 01 takes time.
    const [first] = labs as [Lab, ...Lab[]];
    const step = first.steps[0]!.file;
    cpSync(join(scratch, 'pristine', first.slug, step), join(edition, 'labs', first.slug, step));
    for (const lab of labs.filter((lab) => lab !== first)) rmSync(join(edition, 'labs', lab.slug), { recursive: true });
    const noChromium = { WORKBOOK_CHROMIUM: join(scratch, 'no-chromium') };

    const previous = { ...process.env };
    Object.assign(process.env, noChromium);
    for (const name of Object.keys(process.env)) if (/^VITEST/.test(name)) delete process.env[name];
    let learner: NpmTest;
    let grades: Awaited<ReturnType<typeof gradeSubmissions>>;
    try {
      [learner, grades] = await Promise.all([
        npmTest([], noChromium),
        gradeSubmissions(join(scratch, 'submissions'), labs, { jobs: 1, resultsDir: join(scratch, 'grading'), timeoutMs: 6 * MINUTES }),
      ]);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in previous)) delete process.env[name];
      Object.assign(process.env, previous);
    }
    const [grade] = grades;
    const batchResults = readResults(join(scratch, 'grading', 'edition.json'));

    const statusOf = (results: WorkbookResults | undefined, id: string) => results?.labs.flatMap((lab) => lab.checks).find((check) => check.id === id)?.status;
    for (const results of [learner.results, batchResults]) {
      expect(statusOf(results, '03.5.4'), 'the browser check, without Chromium').toBe('skipped');
      const firstLab = results?.labs.find((lab) => lab.slug === first.slug);
      expect(firstLab!.earned, 'lab 01 earns part of its points').toBeGreaterThan(0);
      expect(firstLab!.earned).toBeLessThan(firstLab!.possible);
    }

    const workflow = read('.github/workflows/classroom.yml');
    const shown = printedTotal(learner.output);
    expect(shown.earned).toBeGreaterThan(0);
    expect(total(learner.results), 'npm test: its results.json').toEqual(shown);
    expect({ earned: grade!.earned, possible: grade!.possible }, 'the batch grader').toEqual(shown);
    expect(classroomScore(workflow, learner.results), 'Classroom, on the learner\'s run').toEqual(shown);
    expect(classroomScore(workflow, batchResults), 'Classroom, on the batch grader\'s run').toEqual(shown);
    // The gradebook's columns per check add up to the same total.
    const [header, row] = gradebookCsv(labs, grades).trim().split('\r\n').map((line) => line.split(','));
    const perCheck = header!.map((name, index) => (/^\d\d\.\d+\.\d+$/.test(name) ? Number(row![index]) : 0));
    expect(perCheck.reduce((sum, points) => sum + points, 0)).toBe(shown.earned);
    // An untouched classroom edition is not flagged: only its labs/ changed.
    expect(grade!.tampering).toEqual([]);
    // The real grader step of the skipped check fails, so Classroom gives it nothing.
    const skipped = graderSteps(workflow).find((candidate) => candidate.check === '03.5.4')!;
    expect(await command(skipped.command)).toBe(1);
  });
});

/** A grader step's command, run in the student repository as the command grader runs it; its exit code. */
async function command(line: string): Promise<number | null> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WORKBOOK_)/.test(name)));
  const child = spawn(line, { cwd: edition, env: inherited, shell: true, stdio: 'ignore' });
  return new Promise((done) => child.on('exit', done));
}
