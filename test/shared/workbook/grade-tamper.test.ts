// Tamper detection: a submission's copies of test/ and shared/ compared with the repository's, by hash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fileHash, flagReason, tamperFindings } from '#shared/workbook/grade-tamper.ts';
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

/** A repository with a lab's checks and a fake tenant file, and a submission beside it. */
function repoAndSubmission(): { repo: string; submission: string } {
  for (const root of ['repo', 'sub']) {
    write(`${root}/test/03-lab/lab.ts`, 'points: 3\n');
    write(`${root}/test/03-lab/a.test.ts`, "check('03.1.1', () => {\n  expect(1).toBe(1);\n});\n");
    write(`${root}/shared/fake-tenant/tokens.ts`, 'export const lifetime = 3600;\n');
  }
  return { repo: join(dir, 'repo'), submission: join(dir, 'sub') };
}

test('a submission with only its labs, or with untouched copies, is not flagged', () => {
  const { repo, submission } = repoAndSubmission();
  expect(tamperFindings(submission, repo)).toEqual([]);
  rmSync(join(submission, 'test'), { recursive: true });
  rmSync(join(submission, 'shared'), { recursive: true });
  write('sub/labs/03-lab/src/main.ts', 'anything\n');
  expect(tamperFindings(submission, repo)).toEqual([]);
});

test('a Windows checkout (CRLF), hidden files and node_modules are not changes', () => {
  const { repo, submission } = repoAndSubmission();
  write('sub/test/03-lab/a.test.ts', "check('03.1.1', () => {\r\n  expect(1).toBe(1);\r\n});\r\n");
  write('sub/test/.DS_Store', 'finder');
  write('sub/shared/node_modules/x/index.js', 'x');
  expect(tamperFindings(submission, repo)).toEqual([]);
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
