// Tamper detection: does a submission's own copy of the checks (test/) or of the shared code (shared/,
// the fake tenant and this machinery) differ from this repository's? Grading never runs the learner's
// copies, so a difference cannot earn points; it is flagged so an instructor can ask why.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './starters.ts';
import { REPO_ROOT } from './repo.ts';

/** The folders of a submission compared with the repository's, when the submission has them. */
export const WATCHED_FOLDERS = ['test', 'shared'] as const;

export interface TamperFinding {
  /** Relative to the submission, with forward slashes: "test/03-confidential-client/lab.ts". */
  file: string;
  /** `added`: the repository has no such file. `removed`: the submission's copy of the folder lacks it. */
  change: 'changed' | 'added' | 'removed';
}

/** SHA-256 of a file, line endings normalized (a Windows checkout is not a change). */
export function fileHash(path: string): string {
  // latin1 maps each byte to one character and back, so a binary file hashes exactly too.
  const bytes = readFileSync(path, 'latin1').replaceAll('\r\n', '\n');
  return createHash('sha256').update(bytes, 'latin1').digest('hex');
}

/** Every file of `dir` with its hash; hidden files and node_modules are not part of a workbook. */
export function folderHashes(dir: string): Map<string, string> {
  const files = listFiles(dir).filter((file) => !file.split('/').some((part) => part.startsWith('.') || part === 'node_modules'));
  return new Map(files.map((file) => [file, fileHash(join(dir, file))]));
}

/** How the submission's watched folders differ from the repository's, file by file, sorted. */
export function tamperFindings(submissionDir: string, repoRoot = REPO_ROOT, folders: readonly string[] = WATCHED_FOLDERS): TamperFinding[] {
  const findings: TamperFinding[] = [];
  for (const folder of folders) {
    if (!existsSync(join(submissionDir, folder))) continue; // most submissions hold only their labs
    const theirs = folderHashes(join(submissionDir, folder));
    const ours = folderHashes(join(repoRoot, folder));
    for (const [file, hash] of theirs) {
      const ourHash = ours.get(file);
      if (ourHash !== hash) findings.push({ file: `${folder}/${file}`, change: ourHash === undefined ? 'added' : 'changed' });
    }
    for (const file of ours.keys()) if (!theirs.has(file)) findings.push({ file: `${folder}/${file}`, change: 'removed' });
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
