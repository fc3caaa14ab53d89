// Tamper detection: every file of a submission outside its labs compared with the workbook's (or the
// classroom edition's), by hash.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { classroomWorkflow } from '#shared/workbook/grading/grade-classroom.ts';
import { exportClassroom } from '#shared/workbook/grading/grade-export.ts';
import { fileHash, flagReason, tamperFindings } from '#shared/workbook/grading/grade-tamper.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grade-tamper-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

/** A workbook with a lab's checks, a fake tenant file, a solution and the files at its top; a full clone of it beside it. */
function repoAndSubmission(): { repo: string; submission: string } {
  for (const root of ['repo', 'sub']) {
    write(`${root}/test/03-lab/lab.ts`, 'points: 3\n');
    write(`${root}/test/03-lab/a.test.ts`, "check('03.1.1', () => {\n  expect(1).toBe(1);\n});\n");
    write(`${root}/test/03-lab/mutants.ts`, 'export default [];\n');
    write(`${root}/shared/fake-tenant/tokens.ts`, 'export const lifetime = 3600;\n');
    write(`${root}/solutions/03-lab/src/main.ts`, 'export const answer = 42;\n');
    write(`${root}/labs/03-lab/src/main.ts`, 'throw todo();\n');
    write(`${root}/package.json`, JSON.stringify({ scripts: { test: 'tsx scripts/test.ts', verify: 'tsx scripts/verify.ts' } }));
    write(`${root}/vitest.config.ts`, 'export default {};\n');
    write(`${root}/scripts/test.ts`, 'run();\n');
    write(`${root}/scripts/verify.ts`, 'verify();\n');
    write(`${root}/.github/workflows/classroom.yml`, classroomWorkflow([]));
  }
  return { repo: join(dir, 'repo'), submission: join(dir, 'sub') };
}

test('a submission with only its labs, or with untouched copies, is not flagged', () => {
  const { repo, submission } = repoAndSubmission();
  expect(tamperFindings(submission, repo)).toEqual([]);
  write('sub/labs/03-lab/src/main.ts', 'anything\n');
  write('sub/labs/03-lab/src/mine.ts', 'more\n');
  expect(tamperFindings(submission, repo)).toEqual([]);
  for (const entry of ['test', 'shared', 'solutions', 'scripts', 'package.json', 'vitest.config.ts', '.github']) rmSync(join(submission, entry), { recursive: true });
  expect(tamperFindings(submission, repo)).toEqual([]);
  write('sub/03-lab/src/main.ts', 'lab folders at the top\n');
  expect(tamperFindings(submission, repo)).toEqual([]);
});

test('an untouched classroom edition is not flagged: its package.json, pages and fewer files are the edition\'s', () => {
  const { repo, submission } = repoAndSubmission();
  write('repo/README.md', 'Learn.\n<!-- classroom: omit -->\nRun `npm run verify`.\n<!-- classroom: end -->\n');
  rmSync(submission, { recursive: true });
  exportClassroom(submission, [], repo);
  expect(readFileSync(join(submission, 'README.md'), 'utf8')).toBe('Learn.\n');
  expect(JSON.parse(readFileSync(join(submission, 'package.json'), 'utf8')).scripts).toEqual({ test: 'tsx scripts/test.ts' });
  expect(tamperFindings(submission, repo)).toEqual([]);
  // What it lacks is not missing from it, but what it has is still watched.
  write('sub/package.json', JSON.stringify({ scripts: { test: 'echo all passed' } }));
  write('sub/solutions/03-lab/src/main.ts', 'export const answer = 41;\n');
  expect(tamperFindings(submission, repo)).toEqual([
    { file: 'package.json', change: 'changed' },
    { file: 'solutions/03-lab/src/main.ts', change: 'changed' },
  ]);
});

test('a Windows checkout (CRLF), hidden files and node_modules are not changes', () => {
  const { repo, submission } = repoAndSubmission();
  write('sub/test/03-lab/a.test.ts', "check('03.1.1', () => {\r\n  expect(1).toBe(1);\r\n});\r\n");
  write('sub/test/.DS_Store', 'finder');
  write('sub/shared/node_modules/x/index.js', 'x');
  write('sub/.workbook/results/results.json', '{}');
  write('sub/.env', 'ENTRA_CLIENT_SECRET=mine');
  write('sub/.vscode/settings.json', '{}');
  expect(tamperFindings(submission, repo)).toEqual([]);
});

test('any file outside the labs that differs is flagged: the answers, package.json, vitest.config.ts, scripts/, the workflow', () => {
  const { repo, submission } = repoAndSubmission();
  write('sub/solutions/03-lab/src/main.ts', 'export const answer = 41;\n');
  write('sub/package.json', JSON.stringify({ scripts: { test: 'echo all passed' } }));
  write('sub/vitest.config.ts', 'export default { test: { passWithNoTests: true } };\n');
  write('sub/scripts/test.ts', 'process.exit(0);\n');
  write('sub/.github/workflows/classroom.yml', 'max-score: 200\n');
  write('sub/notes.txt', 'mine\n');
  rmSync(join(submission, 'scripts/test.ts'));
  expect(tamperFindings(submission, repo)).toEqual([
    { file: '.github/workflows/classroom.yml', change: 'changed' },
    { file: 'notes.txt', change: 'added' },
    { file: 'package.json', change: 'changed' },
    { file: 'scripts/test.ts', change: 'removed' },
    { file: 'solutions/03-lab/src/main.ts', change: 'changed' },
    { file: 'vitest.config.ts', change: 'changed' },
  ]);
});

test('an edited, added or removed file of the checks or the fake tenant is flagged, by name', () => {
  const { repo, submission } = repoAndSubmission();
  write('sub/test/03-lab/a.test.ts', "check('03.1.1', () => {\n  return;\n});\n");
  write('sub/test/03-lab/lab.ts', 'points: 30\n');
  write('sub/test/03-lab/mine.test.ts', 'more\n');
  rmSync(join(submission, 'shared/fake-tenant/tokens.ts'));
  const findings = tamperFindings(submission, repo);
  expect(findings).toEqual([
    { file: 'shared/fake-tenant/tokens.ts', change: 'removed' },
    { file: 'test/03-lab/a.test.ts', change: 'changed' },
    { file: 'test/03-lab/lab.ts', change: 'changed' },
    { file: 'test/03-lab/mine.test.ts', change: 'added' },
  ]);
  expect(flagReason(findings)).toBe(
    "changed: test/03-lab/a.test.ts, test/03-lab/lab.ts (the lab's points and checks); added: test/03-lab/mine.test.ts; removed: shared/fake-tenant/tokens.ts",
  );
});

test('a file hashes by its bytes: binary files too, and CRLF equals LF', () => {
  write('a.bin', '');
  writeFileSync(join(dir, 'a.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  writeFileSync(join(dir, 'b.bin'), Buffer.from([0xff, 0xfd, 0x00, 0x80]));
  write('lf.txt', 'a\nb\n');
  write('crlf.txt', 'a\r\nb\r\n');
  expect(fileHash(join(dir, 'a.bin'))).not.toBe(fileHash(join(dir, 'b.bin')));
  expect(fileHash(join(dir, 'lf.txt'))).toBe(fileHash(join(dir, 'crlf.txt')));
});

test('the repository compared with itself has nothing to flag', () => {
  expect(tamperFindings(REPO_ROOT, REPO_ROOT)).toEqual([]);
});
