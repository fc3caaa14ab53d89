// check(): a vitest test that carries its manifest entry (title, points, hints) to the reporter as task meta.
//   const check = checksFor(lab);
//   check('03.2.1', async () => { ... });
import { test, type TestContext } from 'vitest';
import type { Check, Lab } from './manifest.ts';

/** What the reporter learns about a check, attached to its vitest test. */
export interface CheckMeta {
  lab: string;
  check: string;
  step: string;
  title: string;
  points: number;
  hint: string[];
  gradable: boolean;
  /** Why the check did not run at all (its file needs the fake tenant, in live mode). */
  skipReason?: string;
}

/**
 * Set by a check file that cannot run in this mode (useFakeTenant() in live mode): its checks are then
 * registered as skipped, so not even the file's beforeAll hooks run. It is set in live mode only, where
 * lab check files always run isolated (npm test), so it never leaks into another file.
 */
let skipReasonOfThisFile: string | undefined;

export function skipEveryCheckOfThisFile(reason: string): void {
  skipReasonOfThisFile = reason;
}

declare module 'vitest' {
  interface TaskMeta {
    workbook?: CheckMeta;
  }
}

export interface CheckOptions {
  /** Milliseconds (default: the project's testTimeout). */
  timeout?: number;
}

export type CheckFunction = (context: TestContext) => unknown;

export function checksFor(lab: Lab): (id: string, fn: CheckFunction, options?: CheckOptions) => void {
  const registered = new Set<string>();
  return function check(id, fn, options = {}) {
    const spec = lab.checks.find((candidate) => candidate.id === id);
    if (!spec) throw new Error(`check('${id}'): test/${lab.slug}/lab.ts lists no check ${id}; add it to the manifest first`);
    if (registered.has(id)) throw new Error(`check('${id}') is written twice; each check id has exactly one test`);
    registered.add(id);
    const skipReason = skipReasonOfThisFile;
    const meta = { workbook: { ...checkMeta(lab, spec), ...(skipReason ? { skipReason } : {}) } };
    test(`${id} ${spec.title}`, { ...options, meta, skip: Boolean(skipReason) }, async (context) => {
      try {
        await fn(context);
      } catch (error) {
        throw todoFailure(error, lab, spec) ?? error;
      }
    });
  };
}

function checkMeta(lab: Lab, check: Check): CheckMeta {
  const { id, step, title, points, hint, gradable } = check;
  return { lab: lab.id, check: id, step, title, points, hint, gradable };
}

/** What a TODO's text is prefixed with: an earlier lab's, a later step's of the check's own lab, or nothing. */
function todoPrefix(todoLab: string | undefined, todoStep: string | undefined, lab?: Pick<Lab, 'id'> & Partial<Pick<Lab, 'steps'>>, check?: Pick<Check, 'id' | 'step'>): string {
  if (!lab || !todoLab) return '';
  if (todoLab !== lab.id) return `Lab ${lab.id} runs on lab ${todoLab}, which is not finished: `;
  const order = (id: string | undefined) => lab.steps?.findIndex((step) => step.id === id) ?? -1;
  const later = check && todoStep && order(todoStep) > order(check.step) && order(check.step) >= 0;
  return later ? `${check.id} needs step ${todoStep} too: ` : '';
}

const TODO_TEXT = /TODO\((\d\d\.\d+)\)[^\r\n]*/;

/**
 * If `error` comes from a step the learner has not started (a TodoError, or any error whose message or
 * cause carries the TODO text, e.g. from a child process), a failure that reads as that TODO and has no
 * stack; otherwise undefined. check() applies it; use it where a check catches errors itself.
 * Given the check's `lab`, a TODO of another lab (one this lab builds on) says so first:
 * `Lab 04 runs on lab 03, which is not finished: TODO(03.1) ...`.
 * Given the check too, a TODO of a later step of its own lab says the check needs that step as well:
 * `03.4.2 needs step 03.5 too: TODO(03.5) ...`, so a learner on step 4 is not sent to step 5 unwarned.
 */
export function todoFailure(error: unknown, lab?: Pick<Lab, 'id'> & Partial<Pick<Lab, 'steps'>>, check?: Pick<Check, 'id' | 'step'>): Error | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const match = TODO_TEXT.exec(cause.message);
    if (cause.name === 'TodoError' || match) {
      const todoLab = (match?.[1] ?? (cause as { stepId?: string }).stepId)?.slice(0, 2);
      const text = match?.[0] ?? cause.message;
      const todoStep = match?.[1] ?? (cause as { stepId?: string }).stepId;
      const failure = new Error(`${todoPrefix(todoLab, todoStep, lab, check)}${text}`);
      failure.name = 'TodoError';
      failure.stack = `${failure.name}: ${failure.message}`; // the message names the file; a stack adds only noise
      return failure;
    }
  }
  return undefined;
}
