// Tamper detection: does a submission differ from the workbook anywhere outside its labs? Its checks
// (test/), the shared code and fake tenant (shared/), the answers (solutions/), package.json,
// vitest.config.ts, scripts/ and the Classroom workflow (.github/) can all change a grade where they run:
// in the learner's own `npm test` and in GitHub Classroom. The batch grader never runs the learner's
// copies, so a difference earns nothing there; it is flagged so an instructor can ask why.
// A file may be this repository's version or the classroom edition's (`npm run classroom -- export`).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { learnerFiles, rewrittenFiles } from './grade-export.ts';
import { REPO_ROOT } from '../repo.ts';
import { listFiles } from '../starters.ts';

export interface TamperFinding {
  /** Relative to the submission, with forward slashes: "test/03-confidential-client/lab.ts". */
  file: string;
  /** `added`: the workbook has no such file. `removed`: a folder the submission has lacks a file every edition of the workbook has. */
  change: 'changed' | 'added' | 'removed';
}

/** SHA-256 of some bytes, line endings normalized (a Windows checkout is not a change). */
function hashOf(bytes: string): string {
  return createHash('sha256').update(bytes.replaceAll('\r\n', '\n'), 'latin1').digest('hex');
}

/** SHA-256 of a file, line endings normalized. */
export function fileHash(path: string): string {
  // latin1 maps each byte to one character and back, so a binary file hashes exactly too.
  return hashOf(readFileSync(path, 'latin1'));
}

/**
 * The files of a workbook (or a submission) that can change a grade: everything but its labs (`labs/`,
 * or lab folders `NN-slug/` at the top), installed packages and hidden files (.git, .workbook, .env,
 * an editor's settings), except the Classroom workflow in .github/. Relative, forward slashes, sorted.
 */
export function gradedFiles(dir: string, folders?: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'labs' && !/^\d\d-/.test(entry.name) && (!entry.name.startsWith('.') || entry.name === '.github'))
    .filter((entry) => entry.name !== 'node_modules' && (!folders || folders.has(entry.name)))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)).map((file) => `${entry.name}/${file}`) : entry.isFile() ? [entry.name] : []))
    .filter((file) => !file.split('/').some((part, index) => part === 'node_modules' || (index > 0 && part.startsWith('.'))))
    .sort();
}

/** How the submission differs from the workbook outside its labs, file by file, sorted. */
export function tamperFindings(submissionDir: string, repoRoot = REPO_ROOT): TamperFinding[] {
  const theirs = gradedFiles(submissionDir);
  const edition = rewrittenFiles(repoRoot);
  const findings: TamperFinding[] = [];
  for (const file of theirs) {
    const ours = join(repoRoot, file);
    const accepted = [
      ...(existsSync(ours) ? [fileHash(ours)] : []),
      ...(edition.has(file) ? [hashOf(Buffer.from(edition.get(file)!, 'utf8').toString('latin1'))] : []),
    ];
    if (accepted.length === 0) findings.push({ file, change: 'added' });
    else if (!accepted.includes(fileHash(join(submissionDir, file)))) findings.push({ file, change: 'changed' });
  }
  // Removed: only inside the folders the submission has (most hold only their labs), and only files the
  // classroom edition has too (a student repository has no solutions/ and no maintainers' tools).
  const folders = new Set(readdirSync(submissionDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  const has = new Set(theirs);
  for (const file of new Set([...learnerFiles(repoRoot), ...edition.keys()])) {
    if (file.includes('/') && folders.has(file.split('/')[0]!) && !has.has(file)) findings.push({ file, change: 'removed' });
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file));
}

const MANIFEST = /^test\/\d\d-[^/]+\/lab\.ts$/;

/** The gradebook's "flag reason": the files, grouped by change; a lab's manifest is named as its points. */
export function flagReason(findings: readonly TamperFinding[]): string {
  const name = (finding: TamperFinding) => (MANIFEST.test(finding.file) ? `${finding.file} (the lab's points and checks)` : finding.file);
  return (['changed', 'added', 'removed'] as const)
    .map((change) => ({ change, files: findings.filter((finding) => finding.change === change).map(name) }))
    .filter(({ files }) => files.length > 0)
    .map(({ change, files }) => `${change}: ${files.join(', ')}`)
    .join('; ');
}
