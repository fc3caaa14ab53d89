// `npm run verify`: proves the workbook itself is sound. Each fact below counts once in the last line,
// `N passed, N failed`:
//   typecheck   labs, solutions, shared code and checks type-check (tsc -p .)
//   manifest    per lab: every step has its TODO in the solution and its README section; every check
//               has exactly one test and every test of the lab is a check of the manifest; buildsOn
//               names exactly the earlier labs whose folders the solution imports
//   drift       per lab: labs/NN-slug/ equals the starters generated from solutions/NN-slug/
//   solution    per check: it passes on solutions/
//   starter     per gradable check: it fails on the untouched starters, as "not started" with the TODO
//               text of a step of its lab (generated into .workbook/pristine/;
//               a lab that builds on earlier ones runs on their solutions, in .workbook/pristine-on-solutions/)
//   break it    per attack of test/NN-slug/break-it.ts: it holds on the solution, and not on the
//               untouched starter (there it finds nothing to attack yet, or gets through)
//   shared      per test of test/shared/: it passes
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pc from 'picocolors';
import { labFolders, loadLab } from '../labs.ts';
import type { Lab } from '../manifest.ts';
import { collectOutcomes, firstLine, type RunOutcomes, type TestOutcome } from '../outcomes.ts';
import { displayPath, REPO_ROOT } from '../repo.ts';
import { END_TO_END } from '../projects.ts';
import { runCheckProjects, type CheckProject } from '../run-checks.ts';
import { attackFile } from '../break-it/run.ts';
import { compareLab, describeDrift, generateLab, listFiles, pristineDir, starterTarget, starterTargetsDir } from '../starters.ts';

export type FactKind = 'typecheck' | 'manifest' | 'drift' | 'solution' | 'starter' | 'break-it' | 'shared';

export interface Fact {
  kind: FactKind;
  /** The lab folder (`NN-slug`), or undefined for the workbook as a whole. */
  lab?: string;
  /** What was proved: a check id, a test name, or the fact's kind. */
  subject: string;
  ok: boolean;
  /** Why it failed, in words a maintainer can act on. */
  detail?: string;
}

export interface VerifyOptions {
  /** The workbook to verify (default: this repository). */
  root?: string;
  /** Run `tsc -p <root>` (default: true when the root has a tsconfig.json). */
  typecheck?: boolean;
  /** How check and shared test files end (default: ".test.ts"). */
  testSuffix?: string;
  /** Where to generate the untouched starters (default: pristineDir(root), under .workbook/). */
  pristine?: string;
  /** Also the end-to-end tests (END_TO_END: the classroom edition graded whole), as CI runs them. */
  endToEnd?: boolean;
}

export interface VerifyReport {
  labs: string[];
  facts: Fact[];
  /** Checks that were skipped (and so proved nothing), with their reason. */
  skipped: string[];
  passed: number;
  failed: number;
}

export async function verify(options: VerifyOptions = {}): Promise<VerifyReport> {
  const root = options.root ?? REPO_ROOT;
  const suffix = options.testSuffix ?? '.test.ts';
  const pristine = options.pristine ?? pristineDir(root);
  const typecheck = (options.typecheck ?? existsSync(join(root, 'tsconfig.json'))) ? runTypecheck(root) : undefined;
  const facts: Fact[] = [];

  const labs: Lab[] = [];
  for (const folder of labFolders(root)) {
    try {
      labs.push(await loadLab(root, folder));
    } catch (error) {
      facts.push({ kind: 'manifest', lab: folder, subject: 'manifest', ok: false, detail: (error as Error).message });
    }
  }

  rmSync(pristine, { recursive: true, force: true });
  rmSync(starterTargetsDir(pristine), { recursive: true, force: true });
  const generated = new Set<string>();
  for (const lab of labs) {
    facts.push(manifestFact(root, lab, labs));
    try {
      generateLab(root, lab, pristine);
      generated.add(lab.slug);
      facts.push(driftFact(lab, pristine, root));
    } catch (error) {
      facts.push({ kind: 'drift', lab: lab.slug, subject: 'starters', ok: false, detail: (error as Error).message });
    }
  }
  // A lab that builds on earlier ones: its starter on their solutions (starters.ts, starterTarget).
  const starterTargets = new Map<string, string>();
  for (const lab of labs.filter((candidate) => generated.has(candidate.slug))) {
    try {
      starterTargets.set(lab.slug, starterTarget(root, lab, labs, pristine));
    } catch (error) {
      generated.delete(lab.slug);
      facts.push({ kind: 'manifest', lab: lab.slug, subject: 'builds on', ok: false, detail: (error as Error).message });
    }
  }

  // One vitest run: the labs against the solutions and against the pristine starters, and the shared
  // tests. One project per target, not per lab: a project's workers load the libraries once.
  const shared: CheckProject = { name: 'shared', include: [`test/shared/**/*${suffix}`], kind: 'shared' };
  if (!options.endToEnd) shared.exclude = [`${END_TO_END}**`, '**/node_modules/**'];
  const projects: CheckProject[] = [shared];
  // Each lab's checks, and its "Break it" attacks where it has them.
  const labChecks = (slugs: string[]) =>
    slugs.flatMap((slug) => [`test/${slug}/**/*${suffix}`, ...(existsSync(join(root, attackFile({ slug }))) ? [attackFile({ slug })] : [])]);
  projects.push({ name: SOLUTIONS, include: labChecks(labs.map((lab) => lab.slug)), target: join(root, 'solutions') });
  for (const target of new Set(starterTargets.values())) {
    const slugs = [...starterTargets].filter(([, folder]) => folder === target).map(([slug]) => slug);
    projects.push({ name: `${STARTERS}${displayPath(target, root)}`, include: labChecks(slugs), target });
  }
  const run = await runCheckProjects(root, projects);
  const outcomes = collectOutcomes(run.modules, root, run.sourceOf);
  const skipped: string[] = [];

  for (const lab of labs) {
    facts.push(...solutionFacts(lab, outcomes, skipped));
    if (generated.has(lab.slug)) facts.push(...starterFacts(lab, outcomes));
    facts.push(...attackFacts(lab, outcomes, generated.has(lab.slug)));
    mergeTestProblems(facts, lab, outcomes);
  }
  facts.push(...sharedFacts(outcomes, run.unhandledErrors));
  if (typecheck) facts.unshift(await typecheck);

  const failed = facts.filter((fact) => !fact.ok).length;
  if (!options.endToEnd) skipped.push(`the end-to-end tests (${END_TO_END}): npm run verify -- --end-to-end runs them, as CI does`);
  return { labs: labs.map((lab) => lab.slug), facts, skipped, passed: facts.length - failed, failed };
}

/** `tsc -p <root>`; its output becomes the fact's detail. */
function runTypecheck(root: string): Promise<Fact> {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', root], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => {
      const ok = code === 0;
      resolve({ kind: 'typecheck', subject: 'typecheck', ok, ...(ok ? {} : { detail: output.trim() || `tsc exited with ${code}` }) });
    });
  });
}

/**
 * Static manifest facts: each step's TODO is in its solution file; each step has its README section;
 * `buildsOn` names exactly the labs whose folders the solution imports from.
 */
function manifestFact(root: string, lab: Lab, labs: readonly Lab[]): Fact {
  const problems: string[] = [];
  problems.push(...buildsOnProblems(root, lab, labs));
  const readmePath = join(root, 'labs', lab.slug, 'README.md');
  const anchors = existsSync(readmePath) ? headingAnchors(readFileSync(readmePath, 'utf8')) : undefined;
  if (!anchors) problems.push(`labs/${lab.slug}/README.md is missing`);
  for (const step of lab.steps) {
    const file = join(root, 'solutions', lab.slug, step.file);
    if (!existsSync(file)) problems.push(`step ${step.id}: solutions/${lab.slug}/${step.file} is missing`);
    else if (!readFileSync(file, 'utf8').includes(`TODO(${step.id})`)) problems.push(`step ${step.id}: solutions/${lab.slug}/${step.file} has no TODO(${step.id}) comment`);
    if (anchors && !anchors.has(step.readme.slice(1))) problems.push(`step ${step.id}: labs/${lab.slug}/README.md has no section ${step.readme}`);
  }
  return { kind: 'manifest', lab: lab.slug, subject: 'manifest', ok: problems.length === 0, ...(problems.length ? { detail: problems.join('\n') } : {}) };
}

/** Where the solution of `lab` imports another lab's folder (`'../../03-slug/src/x.ts'`) that buildsOn does not name, and the reverse. */
function buildsOnProblems(root: string, lab: Pick<Lab, 'id' | 'slug' | 'buildsOn'>, labs: readonly Pick<Lab, 'id' | 'slug'>[]): string[] {
  const problems: string[] = [];
  const named = new Set(lab.buildsOn ?? []);
  const imported = new Map<string, string>(); // lab id -> the first file importing it
  const dir = join(root, 'solutions', lab.slug);
  for (const file of listFiles(dir).filter((name) => /\.[cm]?tsx?$/.test(name))) {
    for (const [, slug] of readFileSync(join(dir, file), 'utf8').matchAll(/from\s+['"](?:\.\.\/)+(\d\d-[\w-]+)\//g)) {
      if (slug !== lab.slug && !imported.has(slug!.slice(0, 2))) imported.set(slug!.slice(0, 2), `solutions/${lab.slug}/${file}`);
    }
  }
  for (const [id, file] of imported) {
    if (!named.has(id)) problems.push(`${file} imports lab ${id}'s folder: add '${id}' to buildsOn in test/${lab.slug}/lab.ts`);
  }
  for (const id of named) {
    if (!labs.some((candidate) => candidate.id === id)) problems.push(`buildsOn names lab ${id}, which this workbook does not have`);
    else if (!imported.has(id)) problems.push(`buildsOn names lab ${id}, but no file of solutions/${lab.slug}/ imports from its folder`);
  }
  return problems;
}

/** The anchors GitHub gives a Markdown file's headings. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    anchors.add(heading!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}

function driftFact(lab: Lab, pristine: string, root: string): Fact {
  const drift = compareLab(join(pristine, lab.slug), join(root, 'labs', lab.slug));
  if (drift.length === 0) return { kind: 'drift', lab: lab.slug, subject: 'starters', ok: true };
  const detail = [
    ...drift.map((item) => describeDrift(lab.slug, item)),
    'Run `npm run starters` to regenerate labs/ from solutions/. (verify checks the workbook itself; ' +
      'if you are working through the labs, your edits are expected here: use `npm test`.)',
  ].join('\n');
  return { kind: 'drift', lab: lab.slug, subject: 'starters', ok: false, detail };
}

/** Verify's projects: the labs on the solutions, and on the starters (one project per starter folder). */
const SOLUTIONS = 'labs@solutions';
const STARTERS = 'labs@starters:';
type Run = 'solutions' | 'starters';

const inRun = (item: { project: string; file: string }, lab: Lab, run: Run) =>
  (run === 'solutions' ? item.project === SOLUTIONS : item.project.startsWith(STARTERS)) && item.file.startsWith(`test/${lab.slug}/`);

/** The lab's checks in one run (its attacks apart: `attacksOf`). */
function testsOf(outcomes: RunOutcomes, lab: Lab, run: Run): TestOutcome[] {
  return outcomes.tests.filter((test) => inRun(test, lab, run) && test.file !== attackFile(lab));
}

function attacksOf(outcomes: RunOutcomes, lab: Lab, run: Run): TestOutcome[] {
  return outcomes.tests.filter((test) => inRun(test, lab, run) && test.file === attackFile(lab));
}

/**
 * Each attack of the lab's "Break it" section holds on the solution, and does not hold on the untouched
 * starter: an attack the starter withstands would tell a learner their unwritten code is safe.
 */
function attackFacts(lab: Lab, outcomes: RunOutcomes, starterRan: boolean): Fact[] {
  const facts: Fact[] = [];
  const onStarter = attacksOf(outcomes, lab, 'starters');
  for (const attack of attacksOf(outcomes, lab, 'solutions')) {
    const subject = `attack: ${attack.name}`;
    const problems: string[] = [];
    if (attack.status !== 'passed') problems.push(`gets through the solution: ${firstLine(attack.message)}`);
    const starter = onStarter.find((candidate) => candidate.name === attack.name);
    if (starterRan && starter?.status === 'passed') problems.push('holds on the untouched starter, so it proves nothing about the learner\'s code');
    facts.push({ kind: 'break-it', lab: lab.slug, subject, ok: problems.length === 0, ...(problems.length ? { detail: problems.join('\n') } : {}) });
  }
  return facts;
}

function moduleFailureOf(outcomes: RunOutcomes, lab: Lab, run: Run): string | undefined {
  const failure = outcomes.moduleFailures.find((candidate) => inRun(candidate, lab, run));
  return failure && `${failure.file} failed to load: ${firstLine(failure.message)}`;
}

function solutionFacts(lab: Lab, outcomes: RunOutcomes, skipped: string[]): Fact[] {
  const tests = testsOf(outcomes, lab, 'solutions');
  const facts: Fact[] = [];
  for (const check of lab.checks) {
    const test = tests.find((candidate) => candidate.check?.check === check.id);
    if (test?.status === 'skipped') {
      skipped.push(`${check.id} ${check.title}: ${test.message ?? 'skipped'}`);
      continue;
    }
    const ok = test?.status === 'passed';
    const why = test ? firstLine(test.message) : (moduleFailureOf(outcomes, lab, 'solutions') ?? 'no test ran this check');
    facts.push({ kind: 'solution', lab: lab.slug, subject: `${check.id} ${check.title}`, ok, ...(ok ? {} : { detail: `fails on the solution: ${why}` }) });
  }
  return facts;
}

function starterFacts(lab: Lab, outcomes: RunOutcomes): Fact[] {
  const tests = testsOf(outcomes, lab, 'starters');
  const loadFailed = moduleFailureOf(outcomes, lab, 'starters') !== undefined;
  const facts: Fact[] = [];
  for (const check of lab.checks.filter((candidate) => candidate.gradable)) {
    const test = tests.find((candidate) => candidate.check?.check === check.id);
    if (test?.status === 'skipped' || (!test && !loadFailed)) continue; // proves nothing; the manifest fact names a missing test
    const detail = test && untouchedFailure(lab, test);
    facts.push({ kind: 'starter', lab: lab.slug, subject: `${check.id} ${check.title}`, ok: !detail, ...(detail ? { detail } : {}) });
  }
  return facts;
}

/**
 * What is wrong with a gradable check's outcome on the untouched starter, if anything. It must fail, and
 * fail as "not started", with the TODO text of a step of its own lab: the learner's first failure of a
 * step is the step's instruction, never a crash from code the step has not written yet.
 */
function untouchedFailure(lab: Lab, test: TestOutcome): string | undefined {
  if (test.status === 'passed') {
    return (
      'passes on the untouched starter, so it cannot tell a finished step from an unstarted one: make it ' +
      'exercise the step (vary its inputs), or mark it `gradable: false` with a reason'
    );
  }
  if (test.status === 'not-started' && new RegExp(`TODO\\(${lab.id}\\.\\d+\\)`).test(test.message ?? '')) return undefined;
  return (
    `fails on the untouched starter with "${firstLine(test.message) || test.status}" instead of its step's TODO text: ` +
    'reach the step\'s todo() before anything that can fail otherwise (lab 03: requireSteps)'
  );
}

/** Adds what the run revealed about the manifest (missing, duplicate or unlisted tests) to its fact. */
function mergeTestProblems(facts: Fact[], lab: Lab, outcomes: RunOutcomes): void {
  const tests = testsOf(outcomes, lab, 'solutions');
  const problems: string[] = [];
  if (!moduleFailureOf(outcomes, lab, 'solutions')) {
    for (const check of lab.checks) {
      const count = tests.filter((test) => test.check?.check === check.id).length;
      if (count === 0) problems.push(`check ${check.id} has no test: write check('${check.id}', ...) in test/${lab.slug}/`);
      if (count > 1) problems.push(`check ${check.id} has ${count} tests; each check id has exactly one`);
    }
  }
  for (const test of tests) {
    if (!test.check) problems.push(`${test.file}: "${test.name}" is not a check: write it with checksFor(lab) so it has an id, points and a hint`);
    else if (test.check.lab !== lab.id) problems.push(`${test.file}: "${test.name}" is a check of lab ${test.check.lab}, not ${lab.id}`);
  }
  if (problems.length === 0) return;
  const fact = facts.find((candidate) => candidate.kind === 'manifest' && candidate.lab === lab.slug)!;
  fact.ok = false;
  fact.detail = [fact.detail, ...problems].filter(Boolean).join('\n');
}

function sharedFacts(outcomes: RunOutcomes, unhandledErrors: string[]): Fact[] {
  const facts: Fact[] = [];
  for (const test of outcomes.tests.filter((candidate) => candidate.project === 'shared')) {
    if (test.status === 'skipped') continue;
    const ok = test.status === 'passed';
    facts.push({ kind: 'shared', subject: `${test.file} > ${test.name}`, ok, ...(ok ? {} : { detail: firstLine(test.message) }) });
  }
  for (const failure of outcomes.moduleFailures.filter((candidate) => candidate.project === 'shared')) {
    facts.push({ kind: 'shared', subject: failure.file, ok: false, detail: `failed to load: ${firstLine(failure.message)}` });
  }
  for (const error of unhandledErrors) facts.push({ kind: 'shared', subject: 'unhandled error', ok: false, detail: firstLine(error) });
  return facts;
}

/** The report as lines: a block per lab, the failures in full, and the count. */
export function formatReport(report: VerifyReport): string[] {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? pc.green('✓') : pc.red('✗'));
  const block = (title: string, facts: Fact[]) => {
    if (facts.length === 0) return;
    lines.push(pc.bold(title));
    const kinds: FactKind[] = ['typecheck', 'manifest', 'drift', 'solution', 'starter', 'break-it', 'shared'];
    for (const kind of kinds) {
      const ofKind = facts.filter((fact) => fact.kind === kind);
      if (ofKind.length === 0) continue;
      const passed = ofKind.filter((fact) => fact.ok).length;
      lines.push(`  ${mark(passed === ofKind.length)} ${LABELS[kind]}${ofKind.length > 1 ? ` (${passed}/${ofKind.length})` : ''}`);
      for (const fact of ofKind.filter((candidate) => !candidate.ok)) {
        lines.push(`      ${pc.red(fact.subject)}`);
        for (const line of (fact.detail ?? '').split('\n').slice(0, 20)) lines.push(`        ${line}`);
      }
    }
  };
  block('workbook', report.facts.filter((fact) => fact.kind === 'typecheck'));
  for (const lab of new Set(report.facts.flatMap((fact) => (fact.lab ? [fact.lab] : [])))) {
    block(lab, report.facts.filter((fact) => fact.lab === lab));
  }
  block('shared', report.facts.filter((fact) => fact.kind === 'shared'));
  for (const note of report.skipped) lines.push(pc.dim(`  skipped: ${note}`));
  if (report.labs.length === 0) lines.push(pc.dim('No labs yet: verified the type-check and the shared tests.'));
  lines.push('', `${report.passed} passed, ${report.failed} failed`);
  return lines;
}

const LABELS: Record<FactKind, string> = {
  typecheck: 'everything type-checks (tsc -p .)',
  manifest: 'manifest: steps have their TODO and README section; checks have one test each',
  drift: 'labs/ matches the starters generated from solutions/',
  solution: 'checks pass on the solution',
  starter: 'gradable checks fail on the untouched starter, with their TODO text',
  'break-it': '"Break it" attacks hold on the solution, not on the untouched starter',
  shared: 'shared tests pass',
};
