// Finds the submissions in a folder (one subfolder per learner) and stages each one's lab folders inside
// the repository, where the pristine checks grade them (WORKBOOK_TARGET must lie inside the workbook).
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Submission {
  /** The subfolder's name: the learner, or `assignment-username` in a GitHub Classroom download. */
  name: string;
  dir: string;
  /** The folder holding its `NN-slug/` lab folders: `<dir>/labs` or `<dir>` itself; undefined if neither does. */
  labsRoot?: string;
  /** The workbook's labs it has a folder for. */
  labs: string[];
}

/** Every subfolder of `dir` (hidden ones aside) is a submission, laid out `<sub>/labs/NN-slug/` or `<sub>/NN-slug/`. */
export function findSubmissions(dir: string, labSlugs: readonly string[]): Submission[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: name the folder that holds one folder per submission`);
  return subfolders(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => submission(join(dir, name), labSlugs));
}

function submission(dir: string, labSlugs: readonly string[]): Submission {
  for (const labsRoot of [join(dir, 'labs'), dir]) {
    const labs = labSlugs.filter((slug) => subfolders(labsRoot).includes(slug));
    if (labs.length > 0) return { name: basename(dir), dir, labsRoot, labs };
  }
  return { name: basename(dir), dir, labs: [] };
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Copies the submission's lab folders (and nothing else: not its test/ or shared/) into `scratch`,
 * laid out like labs/. Its code then imports the repository's own `#shared/*`, never the learner's.
 */
export function stageSubmission(submission: Submission, scratch: string): void {
  for (const slug of submission.labs) {
    cpSync(join(submission.labsRoot!, slug), join(scratch, slug), {
      recursive: true,
      filter: (source) => basename(source) !== 'node_modules',
    });
  }
}

/** A submission's name as a folder or file name: letters, digits, `.`, `_` and `-` only. */
export function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_');
}
