// A lab's manifest (test/NN-slug/lab.ts): its steps, checks, points and hints, listed once and read
// by the checks, the reporter, the CLI, todo() and verify.

export interface StepSpec {
  /** `NN.S`: the lab's id, then the step's number. */
  id: string;
  /** What the learner does, in their words: "Redeem the authorization code". */
  title: string;
  /** The file the step's TODO is in, relative to the lab folder: "src/auth-provider.ts". */
  file: string;
  /** The step's section in the lab's README.md: "#step-2-redeem-the-authorization-code". */
  readme: string;
}

export interface CheckSpec {
  /** `NN.S.K`: the step's id, then the check's number. */
  id: string;
  /** The step this check grades. */
  step: string;
  /** What the check proves, in the learner's words: "a tampered state is refused". */
  title: string;
  points: number;
  /** One hint, or hints from gentle to explicit (the first is shown first). */
  hint: string | string[];
  /** `false` for a check the untouched starter also passes (it earns no points): say why in `reason`. */
  gradable?: boolean;
  reason?: string;
  /** The check drives a real browser (browser.ts finds one): without one it is not checked here, and `doctor` names it. */
  needsBrowser?: boolean;
}

export interface HandRunSpec {
  /** The script `npm run lab -- NN` runs with Node (and tsx), relative to the lab folder: `src/server.ts`. */
  script: string;
  /** Arguments after the script. */
  args?: string[];
  /** Environment for the script, unless the learner's environment sets the variable already. */
  env?: Record<string, string>;
  /** One sentence: what starts, and what to do with it. */
  description: string;
  /**
   * The script starts the lab's server on SERVER_BASE_URL (or SERVER_LISTEN): the hand run checks that
   * port is free first. `callback`: its users sign in through `${SERVER_BASE_URL}/auth/callback`, which
   * the hand run's tenant registers on the server's app (as lab 01 would). `script`: the server alone,
   * when the hand run's script is a client that starts it (labs 03 and 04): what a client of your own
   * (and `npm run interop`) connects to.
   */
  server?: { callback?: boolean; script?: string };
}

export interface LabSpec {
  /** `NN`: two digits. */
  id: string;
  /** `NN-slug`: the folder name under labs/, solutions/ and test/. */
  slug: string;
  title: string;
  summary: string;
  steps: StepSpec[];
  checks: CheckSpec[];
  handRun?: HandRunSpec;
  /**
   * The earlier labs whose code this lab's code imports (`['03']`), through relative imports into their
   * folders beside it (`../../03-confidential-client/src/auth-provider.ts`): in any target, the target's
   * own copies of them, so a learner's lab 04 runs on their own lab 03.
   */
  buildsOn?: string[];
}

/** A validated manifest: hints always a list, `gradable` always set. */
export interface Lab extends LabSpec {
  checks: Check[];
}

export interface Check extends CheckSpec {
  hint: string[];
  gradable: boolean;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    readonly labId: string,
    readonly problems: string[],
  ) {
    super(`The manifest of lab ${labId} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates a lab's manifest and registers it, so todo() can find it in the same process. */
export function defineLab(spec: LabSpec): Lab {
  const problems = validateLab(spec);
  if (problems.length > 0) throw new ManifestError(spec.id, problems);
  const lab: Lab = {
    ...spec,
    checks: spec.checks.map((check) => ({
      ...check,
      hint: typeof check.hint === 'string' ? [check.hint] : check.hint,
      gradable: check.gradable ?? true,
    })),
  };
  registry().set(lab.id, lab);
  return lab;
}

/** The manifest of lab `id` if this process has loaded it. */
export function registeredLab(id: string): Lab | undefined {
  return registry().get(id);
}

/** Every problem with a manifest, in words a maintainer can act on; empty when it is sound. */
export function validateLab(spec: LabSpec): string[] {
  const problems: string[] = [];
  const { id } = spec;
  if (!/^\d\d$/.test(id)) problems.push(`lab id "${id}" must be two digits, like "03"`);
  if (!spec.slug.startsWith(`${id}-`)) problems.push(`slug "${spec.slug}" must start with "${id}-"`);
  if (!spec.title.trim()) problems.push('the lab needs a title');

  const stepIds = new Set<string>();
  for (const step of spec.steps) {
    if (!new RegExp(`^${id}\\.\\d+$`).test(step.id)) problems.push(`step id "${step.id}" must look like "${id}.1"`);
    if (stepIds.has(step.id)) problems.push(`step id "${step.id}" is used twice`);
    stepIds.add(step.id);
    if (!step.readme.startsWith('#')) problems.push(`step ${step.id}: readme "${step.readme}" must be an anchor like "#step-1-..."`);
    if (!step.file.trim()) problems.push(`step ${step.id}: name the file its TODO is in`);
  }

  const checkIds = new Set<string>();
  for (const check of spec.checks) {
    if (!new RegExp(`^${id}\\.\\d+\\.\\d+$`).test(check.id)) problems.push(`check id "${check.id}" must look like "${id}.1.1"`);
    if (checkIds.has(check.id)) problems.push(`check id "${check.id}" is used twice`);
    checkIds.add(check.id);
    if (!stepIds.has(check.step)) problems.push(`check ${check.id}: step "${check.step}" is not a step of this lab`);
    else if (!check.id.startsWith(`${check.step}.`)) problems.push(`check ${check.id}: its id must start with its step's id "${check.step}."`);
    if (!check.title.trim()) problems.push(`check ${check.id} needs a title`);
    const hints = typeof check.hint === 'string' ? [check.hint] : check.hint;
    if (hints.length === 0 || hints.some((hint) => !hint.trim())) problems.push(`check ${check.id} needs a hint`);
    if (!Number.isInteger(check.points) || check.points < 0) problems.push(`check ${check.id}: points must be a whole number >= 0`);
    if (check.gradable === false) {
      if (!check.reason?.trim()) problems.push(`check ${check.id} is not gradable: say why in "reason"`);
      if (check.points !== 0) problems.push(`check ${check.id} is not gradable, so it earns no points: set points to 0`);
    }
  }
  const builtOn = new Set<string>();
  for (const earlier of spec.buildsOn ?? []) {
    if (!/^\d\d$/.test(earlier)) problems.push(`buildsOn: "${earlier}" must be a lab id, two digits like "03"`);
    else if (earlier >= id) problems.push(`buildsOn: lab ${earlier} is not an earlier lab than ${id}`);
    if (builtOn.has(earlier)) problems.push(`buildsOn: lab ${earlier} is named twice`);
    builtOn.add(earlier);
  }
  if (spec.handRun && !spec.handRun.script.endsWith('.ts')) problems.push(`handRun.script must be a .ts file of the lab, not "${spec.handRun.script}"`);
  return problems;
}

/** One registry per process, even if this module is loaded twice (a test runner and tsx, say). */
const LABS = Symbol.for('workbook.labs');
function registry(): Map<string, Lab> {
  const global = globalThis as { [LABS]?: Map<string, Lab> };
  return (global[LABS] ??= new Map());
}
