// What the learner sees while the CLI runs checks: first a line saying which labs run, why, and about
// how long it takes; then a line per lab, with its result, as its last check file finishes.
import pc from 'picocolors';
import type { Reporter, TestModule, TestSpecification } from 'vitest/node';
import type { Lab } from '../manifest.ts';
import { labFolderOf, workbookResults } from '../reporter.ts';
import { displayPath } from '../repo.ts';
import { notCheckedHere, type LabResult, type WorkbookResults } from '../results.ts';
import { labMark } from '../summary.ts';
import type { TypeCheck } from '../type-check.ts';

/**
 * Why labs run: some `changed` since their last results and no run has checked the `unchecked` yet;
 * or every lab is re-checked once all have passed; or the learner asked (watch mode).
 */
export type RunReason = { changed: Lab[]; unchecked: Lab[] } | 'recheck' | 'asked';

/** "Checking labs 03 and 04: changed since the last run. About 9 s." */
export function announcement(labs: Lab[], reason: RunReason, seconds: number): string {
  const about = `About ${seconds} s.`;
  if (reason === 'recheck') return `Re-checking ${labNames(labs)}, now that every lab has passed once. ${about}`;
  if (reason === 'asked') return `Checking ${labNames(labs)}. ${about}`;
  const { changed, unchecked } = reason;
  const why =
    changed.length > 0 && unchecked.length > 0
      ? `${ids(changed)} changed since the last run, ${ids(unchecked)} not checked yet`
      : changed.length > 0
        ? 'changed since the last run'
        : 'not checked yet';
  return `Checking ${labNames(labs)}: ${why}. ${about}`;
}

/** "lab 03", "labs 03 and 04", "labs 01, 03 and 04". */
function labNames(labs: Lab[]): string {
  return `${labs.length === 1 ? 'lab' : 'labs'} ${ids(labs)}`;
}

function ids(labs: Lab[]): string {
  const names = labs.map((lab) => lab.id);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Seconds before the first check runs: vitest starts, and its workers load the libraries. */
const START_SECONDS = 2;
/** A lab never run before: about this long per check. */
const SECONDS_PER_CHECK = 0.3;
/** Vitest's workers run check files side by side (two on a two-core machine). */
const WORKERS = 2;

/** A rough wall time for a run of these labs, from how long each took last time. */
export function estimateSeconds(labs: Lab[], last: WorkbookResults | undefined): number {
  const work = labs.reduce((sum, lab) => sum + (last?.labs.find((result) => result.slug === lab.slug)?.seconds ?? lab.checks.length * SECONDS_PER_CHECK), 0);
  return Math.max(1, Math.round(START_SECONDS + work / WORKERS));
}

/** "  ◐ 03 Confidential client: 12/26 checks pass", and how many were not checked here. */
export function formatLabDone(lab: LabResult): string {
  const skipped = notCheckedHere(lab).length;
  return `  ${labMark(lab)} ${pc.bold(lab.id)} ${lab.title}: ${lab.passed}/${lab.total} checks pass${skipped > 0 ? pc.yellow(` · ${skipped} not checked here`) : ''}`;
}

/** A vitest reporter: a line per lab as the last of its check files finishes. */
export class LabProgress implements Reporter {
  private readonly pending = new Map<string, number>();
  private readonly finished = new Map<string, TestModule[]>();

  constructor(
    private readonly root: string,
    private readonly target: string,
    private readonly write: (line: string) => void = (line) => console.log(line),
    /** The run's type check (the WorkbookReporter's), so a lab's line counts what its result will. */
    private readonly types: () => Promise<TypeCheck> | undefined = () => undefined,
  ) {}

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    for (const specification of specifications) {
      const folder = labFolderOf(displayPath(specification.moduleId, this.root));
      if (folder) this.pending.set(folder, (this.pending.get(folder) ?? 0) + 1);
    }
  }

  async onTestModuleEnd(module: TestModule): Promise<void> {
    const folder = labFolderOf(displayPath(module.moduleId, this.root));
    if (!folder) return;
    this.finished.set(folder, [...(this.finished.get(folder) ?? []), module]);
    const left = (this.pending.get(folder) ?? 1) - 1;
    this.pending.set(folder, left);
    if (left > 0) return;
    const [lab] = (await workbookResults(this.root, this.finished.get(folder)!, this.target, await this.types())).labs;
    if (lab) this.write(formatLabDone(lab));
  }
}
