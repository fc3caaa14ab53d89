// The classroom edition: a student repository made from this workbook, without the answers and without
// the tools of maintainers and instructors. Its labs/ are the pristine starters, generated afresh (never
// the instructor's own labs/), and it carries the GitHub Classroom workflow.
//   npm run classroom -- export <dir>
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CLASSROOM_WORKFLOW, classroomWorkflow } from './grade-classroom.ts';
import type { Lab } from '../manifest.ts';
import { REPO_ROOT } from '../repo.ts';
import { generateLab, listFiles } from '../starters.ts';

const CLASSROOM_WORKFLOW_FILE = relative(REPO_ROOT, CLASSROOM_WORKFLOW);

/** The top-level entries of the workbook a student repository is made from (labs/ is generated). */
const TAKEN = ['README.md', 'package.json', 'package-lock.json', 'tsconfig.json', 'vitest.config.ts', '.env.example', '.github', 'docs', 'scripts', 'shared', 'test'];

/**
 * What a learner never needs: the answers, the maintainer's tools (shared/workbook/maintainer/: verify,
 * mutants, benches) and their commands, the starter generator's command, the mutant catalogues, the
 * instructor's grading (shared/workbook/grading/, but the one script the Classroom workflow runs), and the
 * maintainers' pages. Paths relative to the workbook, forward slashes.
 */
const NOT_FOR_LEARNERS: readonly RegExp[] = [
  /^docs\/maintainers\//,
  /^scripts\/(verify|starters|client-commands|mutants|bench|bench-hostile|interop|grade|classroom)\.ts$/,
  /^shared\/workbook\/README\.md$/,
  /^shared\/workbook\/maintainer\//,
  /^shared\/workbook\/grading\/(?!classroom-check\.ts$)/,
  /^test\/shared\//,
  /^test\/\d\d-[^/]+\/mutants\.ts$/,
];

/** The npm scripts of the classroom edition: what a learner runs. The rest name tools it does not have. */
export const LEARNER_SCRIPTS = ['start', 'test', 'lab', 'tenant', 'typecheck'] as const;

/** Everything the classroom edition never carries, whether or not it lies in a taken folder. */
function skipped(file: string): boolean {
  const parts = file.split('/');
  return parts.includes('node_modules') || parts.some((part) => part.startsWith('.') && part !== '.github' && part !== '.env.example');
}

/** Does the classroom edition carry this file of the workbook (relative path)? Its labs/ are generated, not copied. */
export function forLearners(file: string): boolean {
  return TAKEN.includes(file.split('/')[0]!) && !skipped(file) && !NOT_FOR_LEARNERS.some((pattern) => pattern.test(file));
}

/** Marks a part of a page that names what the classroom edition leaves out: `<!-- classroom: omit -->` ... `<!-- classroom: end -->`. */
const OMITTED = /^[ \t]*<!-- classroom: omit -->[^\n]*\n[\s\S]*?^[ \t]*<!-- classroom: end -->[^\n]*\n?/gm;

/** A Markdown page as the classroom edition has it: the marked parts taken out. */
export function classroomMarkdown(text: string): string {
  return text.replace(OMITTED, '');
}

/** The workbook's package.json with only the learner's scripts. */
export function classroomPackageJson(text: string): string {
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  manifest.scripts = Object.fromEntries(Object.entries(manifest.scripts ?? {}).filter(([name]) => (LEARNER_SCRIPTS as readonly string[]).includes(name)));
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The workbook's tsconfig.json for the classroom edition: only the folders it has (`has`), so
 * `npm run typecheck` there type-checks the learner's labs, the checks and the shared code.
 */
export function classroomTsconfig(text: string, has: (entry: string) => boolean): string {
  const config = JSON.parse(text) as { include?: string[] };
  config.include = config.include?.filter((entry) => has(entry));
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The student repository's .gitignore: what a learner's run leaves behind, and their own settings. */
export const CLASSROOM_GITIGNORE = ['node_modules/', '.env', '.workbook/', '*.log', ''].join('\n');

/** The files of the workbook at `root` that the classroom edition carries, relative to it, sorted. */
export function learnerFiles(root = REPO_ROOT): string[] {
  return TAKEN.flatMap((entry) => {
    const path = join(root, entry);
    if (!existsSync(path)) return [];
    return statSync(path).isDirectory() ? listFiles(path).map((file) => `${entry}/${file}`) : [entry];
  })
    .filter(forLearners)
    .sort();
}

/**
 * The files the classroom edition writes with other contents than the workbook's (path → contents).
 * The tamper check accepts either version, so an untouched student repository is never flagged.
 */
export function rewrittenFiles(root = REPO_ROOT): Map<string, string> {
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const carried = learnerFiles(root);
  const topLevel = new Set(['labs', ...carried.map((file) => file.split('/')[0]!)]);
  const files = new Map<string, string>([['.gitignore', CLASSROOM_GITIGNORE]]);
  if (carried.includes('package.json')) files.set('package.json', classroomPackageJson(read('package.json')));
  if (carried.includes('tsconfig.json')) files.set('tsconfig.json', classroomTsconfig(read('tsconfig.json'), (entry) => topLevel.has(entry)));
  for (const file of carried) if (file.endsWith('.md')) files.set(file, classroomMarkdown(read(file)));
  return files;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

export interface ExportSummary {
  /** Every file written, relative to the export, sorted. */
  files: string[];
}

/**
 * Writes the classroom edition of the workbook at `root` to `dir`, a new or empty folder: the learner's
 * files of the workbook, the labs' pristine starters and guides, the Classroom workflow of `labs`, and
 * the rewritten package.json, tsconfig.json, .gitignore and pages.
 */
export function exportClassroom(dir: string, labs: readonly Lab[], root = REPO_ROOT): ExportSummary {
  // Never over anything: not the workbook itself, not a folder holding other work.
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ExportError(`${dir} is not empty: export to a new or empty folder`);
  mkdirSync(dir, { recursive: true });
  for (const file of learnerFiles(root)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  for (const [file, text] of rewrittenFiles(root)) writeFileSync(join(dir, file), text);
  // The Classroom workflow of the labs it carries (the committed one, when that is up to date).
  mkdirSync(dirname(join(dir, CLASSROOM_WORKFLOW_FILE)), { recursive: true });
  writeFileSync(join(dir, CLASSROOM_WORKFLOW_FILE), classroomWorkflow(labs));
  for (const lab of labs) {
    generateLab(root, lab, join(dir, 'labs'));
    const guide = join('labs', lab.slug, 'README.md');
    writeFileSync(join(dir, guide), classroomMarkdown(readFileSync(join(root, guide), 'utf8')));
  }
  return { files: listFiles(dir) };
}
