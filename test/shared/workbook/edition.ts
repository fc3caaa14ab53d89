// A classroom edition for a test file: exported into .workbook/export-test/ (inside the repository, so
// its #shared/* imports resolve), laid out as a folder of submissions with one, `edition`, and this
// repository's node_modules linked in instead of a second install.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { exportClassroom } from '#shared/workbook/grading/grade-export.ts';
import { discoverLabs } from '#shared/workbook/labs.ts';
import type { Lab } from '#shared/workbook/manifest.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

export interface Edition {
  labs: Lab[];
  /** The test's own folder: `submissions/edition/` and anything else it writes. */
  scratch: string;
  /** The student repository. */
  root: string;
}

/** Call at the top of a test file: the edition exists from beforeAll on, and is removed after the file. */
export function useEdition(): () => Edition {
  let edition: Edition | undefined;
  beforeAll(async () => {
    const labs = await discoverLabs();
    mkdirSync(join(REPO_ROOT, '.workbook', 'export-test'), { recursive: true });
    const scratch = mkdtempSync(join(REPO_ROOT, '.workbook', 'export-test', 'run-'));
    const root = join(scratch, 'submissions', 'edition');
    exportClassroom(root, labs);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'junction');
    edition = { labs, scratch, root };
  });
  afterAll(() => edition && rmSync(edition.scratch, { recursive: true, force: true }));
  return () => {
    if (!edition) throw new Error('useEdition(): the edition is exported in beforeAll; use it inside a test or hook.');
    return edition;
  };
}
