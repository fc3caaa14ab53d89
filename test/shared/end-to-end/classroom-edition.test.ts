// The classroom edition, graded end to end (verify runs this only with --end-to-end, as CI does: it
// grades the whole workbook twice over). `npm run classroom -- export` writes it into
// .workbook/export-test/ (with this repository's node_modules linked in, instead of a second install).
// There `npm test` fails on the starters; with the reference solutions copied into its labs/ it earns
// every point, as its Classroom workflow does (a copy without solutions/ that works for a learner who
// finished); then a submission with failing checks and one not checked here (no browser) scores the same
// in `npm test` and the batch grader, which leave that check out of the total, and in Classroom, whose
// step for it fails with the reason.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { gradeSubmissions } from '#shared/workbook/grading/grade-batch.ts';
import { gradebookCsv } from '#shared/workbook/grading/grade-csv.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { readResults, type WorkbookResults } from '#shared/workbook/results.ts';
import { generateLab } from '#shared/workbook/starters.ts';
import { classroomScore, graderSteps } from '../workbook/classroom.ts';
import { useEdition } from '../workbook/edition.ts';

const MINUTES = 60_000;
const exported = useEdition();
let labs: Lab[];
let scratch: string;
/** The student repository. */
let edition: string;
beforeAll(() => void ({ labs, scratch, root: edition } = exported()));

const read = (file: string) => readFileSync(join(edition, file), 'utf8');

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

describe('the classroom edition, graded', () => {
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

  test('a submission with failing checks and one not checked here scores the same in npm test, the batch grader and Classroom', { timeout: 8 * MINUTES }, async () => {
    // Lab 01 solved but for its first step; the other labs' folders deleted, and a browser named that is
    // not there, so lab 03's browser check is not checked (it skips before it looks for the lab). Only
    // lab 01 takes time.
    const [first] = labs as [Lab, ...Lab[]];
    const step = first.steps[0]!.file;
    generateLab(REPO_ROOT, first, join(scratch, 'pristine'));
    cpSync(join(scratch, 'pristine', first.slug, step), join(edition, 'labs', first.slug, step));
    for (const lab of labs.filter((lab) => lab !== first)) rmSync(join(edition, 'labs', lab.slug), { recursive: true });
    const noBrowser = { WORKBOOK_BROWSER: join(scratch, 'no-browser') };

    const previous = { ...process.env };
    Object.assign(process.env, noBrowser);
    for (const name of Object.keys(process.env)) if (/^VITEST/.test(name)) delete process.env[name];
    let learner: NpmTest;
    let grades: Awaited<ReturnType<typeof gradeSubmissions>>;
    try {
      [learner, grades] = await Promise.all([
        npmTest([], noBrowser),
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
      expect(statusOf(results, '03.5.4'), 'the browser check, without a browser').toBe('skipped');
      const firstLab = results?.labs.find((lab) => lab.slug === first.slug);
      expect(firstLab!.earned, 'lab 01 earns part of its points').toBeGreaterThan(0);
      expect(firstLab!.earned).toBeLessThan(firstLab!.possible);
    }

    const workflow = read('.github/workflows/classroom.yml');
    const browserCheck = labs.flatMap((lab) => lab.checks).find((check) => check.id === '03.5.4')!;
    const shown = printedTotal(learner.output);
    expect(shown.earned).toBeGreaterThan(0);
    expect(total(learner.results), 'npm test: its results.json').toEqual(shown);
    expect(learner.output.replace(/\x1b\[[\d;]*m/g, ''), 'the total says what was left out').toContain(`Total ${shown.earned}/${shown.possible} points · 1 check (${browserCheck.points} points) not checked here`);
    expect({ earned: grade!.earned, possible: grade!.possible }, 'the batch grader').toEqual(shown);
    // Classroom has no "not checked": the check's step earns nothing, and its points stay in the total.
    const classroom = { earned: shown.earned, possible: shown.possible + browserCheck.points };
    expect(classroomScore(workflow, learner.results), 'Classroom, on the learner\'s run').toEqual(classroom);
    expect(classroomScore(workflow, batchResults), 'Classroom, on the batch grader\'s run').toEqual(classroom);
    // The gradebook's columns per check add up to the same total; the browser check's says it was not checked.
    const [header, row] = gradebookCsv(labs, grades).trim().split('\r\n').map((line) => line.split(','));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell('03.5.4')).toBe('not checked');
    expect(cell('re-grade')).toMatch(/^"?03\.5\.4 not checked \(2 points\): WORKBOOK_BROWSER names /);
    const perCheck = header!.map((name, index) => (/^\d\d\.\d+\.\d+$/.test(name) && name !== '03.5.4' ? Number(row![index]) : 0));
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
