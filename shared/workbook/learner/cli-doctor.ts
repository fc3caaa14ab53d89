// `npm start -- doctor`: is this machine ready for the workbook? Node against package.json's engines,
// the dependencies against package-lock.json, the mode, the settings (in live mode, each one a lab
// reads), whether the tenant's discovery document answers, and the browser the browser checks drive.
// Each check is a function of what it is given (the environment is passed in), so each can be tested
// on its own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import pc from 'picocolors';
import { currentMode, loadSettings, SECTION_OPTIONAL, SettingsError, type Mode, type Settings } from '#shared/settings.ts';
import { SETTINGS, type SettingName } from '#shared/settings-catalog.ts';
import { findBrowser, type BrowserSearch } from '../browser.ts';
import { discoverLabs } from '../labs.ts';
import { REPO_ROOT } from '../repo.ts';

export interface DoctorLine {
  ok: boolean;
  /** A check that could not run because an earlier one failed: shown, not counted. */
  skipped?: boolean;
  /** Not a problem, but worth knowing (and a fix): shown with `!`, not counted. */
  warning?: boolean;
  what: string;
  /** More lines under it (where a search looked). */
  details?: string[];
  /** For a failed check: what to do about it. */
  fix?: string;
}

interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface PackageLock {
  packages?: Record<string, { version?: string }>;
}

/** Everything the doctor looks at, passed in. */
export interface DoctorEnvironment {
  nodeVersion: string;
  packageJson: PackageJson;
  packageLock: PackageLock | undefined;
  /** The version of `node_modules/<name>`, or undefined when it is not installed. */
  installedVersion(name: string): string | undefined;
  env: NodeJS.ProcessEnv;
  /** Values from `.env` (default: settings.ts reads the repository's own in live mode). */
  dotEnv?: Record<string, string>;
  /** `WORKBOOK_MODE` as the repository's `.env` writes it, if it does: never read as the mode, only warned about. */
  dotEnvMode?: string;
  /** Reaches the tenant: in mock mode answered by the in-process fake tenant. */
  fetch: typeof fetch;
  timeoutMs?: number;
  /** The browser a check would drive here (browser.ts), and the checks that need one (`needsBrowser`). */
  browser: BrowserSearch;
  browserChecks: string[];
}

export async function runDoctor(environment: DoctorEnvironment): Promise<DoctorLine[]> {
  const lines = [checkNode(environment.nodeVersion, environment.packageJson.engines?.node), checkDependencies(environment), checkBrowser(environment.browser, environment.browserChecks)];
  const mode = checkMode(environment.env);
  lines.push(mode.line);
  const ignored = checkModeInDotEnv(environment.env, environment.dotEnvMode);
  if (ignored) lines.push(ignored);
  if (!mode.mode) return lines;
  const settings = checkSettings(mode.mode, environment.env, environment.dotEnv);
  lines.push(...settings.lines);
  if (!settings.settings) return [...lines, { ok: false, skipped: true, what: "the tenant's discovery document: not tried until the settings are valid" }];
  return [...lines, await checkDiscovery(settings.settings, environment.fetch, environment.timeoutMs)];
}

/** The Node release lines CI runs `npm run verify` under (.ci/run): the maintained LTS lines. */
export const TESTED_NODE_LINES = [20, 22, 24] as const;

const testedLines = `${TESTED_NODE_LINES.slice(0, -1).join(', ')} and ${TESTED_NODE_LINES.at(-1)}`;

/** Node's version against a `>=X.Y.Z` engines range (the form package.json uses), and the lines CI tests. */
export function checkNode(version: string, range: string | undefined): DoctorLine {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const tested = (TESTED_NODE_LINES as readonly number[]).includes(have[0]!);
  const lines = tested ? `CI tests Node ${testedLines}` : `not a line CI tests: Node ${testedLines} are`;
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range?.trim() ?? '');
  if (!minimum) return { ok: true, what: `Node ${version} (${lines})` };
  const need = minimum.slice(1).map((part) => Number(part ?? 0));
  const difference = need.map((part, index) => (have[index] ?? 0) - part).find((delta) => delta !== 0) ?? 0;
  if (difference >= 0) return { ok: true, what: `Node ${version} (the workbook needs ${range}; ${lines})` };
  return { ok: false, what: `Node ${version} is too old: the workbook needs ${range}`, fix: `install Node ${range!.replace('>=', '')} or newer (an LTS release: https://nodejs.org)` };
}

/** Every direct dependency installed, at the version package-lock.json pins. */
export function checkDependencies(environment: Pick<DoctorEnvironment, 'packageJson' | 'packageLock' | 'installedVersion'>): DoctorLine {
  const { packageJson, packageLock, installedVersion } = environment;
  const names = Object.keys({ ...packageJson.dependencies, ...packageJson.devDependencies }).sort();
  const problems = names.flatMap((name) => {
    const installed = installedVersion(name);
    const locked = packageLock?.packages?.[`node_modules/${name}`]?.version;
    if (!installed) return [`${name} is not installed`];
    return locked && installed !== locked ? [`${name} ${installed} (package-lock.json: ${locked})`] : [];
  });
  if (problems.length === 0) return { ok: true, what: `dependencies: ${names.length} packages installed as package-lock.json pins them` };
  const fix = 'npm ci (installs exactly what package-lock.json pins)';
  if (names.every((name) => !installedVersion(name))) return { ok: false, what: 'dependencies: not installed (no node_modules?)', fix };
  return { ok: false, what: `dependencies: ${problems.join(', ')}`, fix };
}

/**
 * The browser the browser checks drive: which, where and how it was found. None installed is a note, not
 * a problem (those checks are then not checked here, and say why); a WORKBOOK_BROWSER naming nothing is.
 */
export function checkBrowser(search: BrowserSearch, checks: readonly string[]): DoctorLine {
  const which = checks.length === 0 ? 'no check needs one' : `for check ${checks.join(', ')}`;
  if (search.found) {
    const { name, path, how } = search.found;
    const line: DoctorLine = { ok: true, what: `browser: ${name} at ${path}, found by ${how} (${which})` };
    return search.named === 'WORKBOOK_CHROMIUM' ? { ...line, warning: true, fix: 'rename WORKBOOK_CHROMIUM to WORKBOOK_BROWSER: the old name still works, for now' } : line;
  }
  const without = checks.length === 0 ? [] : [`without one, check ${checks.join(', ')} is not checked here`];
  const details = [...without, `looked at: ${search.looked.join('; ')}`];
  if (search.named) return { ok: false, what: `browser: ${search.reason}`, details, fix: `point ${search.named} at Chrome, Chromium or Edge (a path, or a command on PATH), or unset it` };
  return { ok: true, warning: true, what: 'browser: no Chrome, Chromium or Edge found', details, fix: 'install one, or name one: WORKBOOK_BROWSER=/path/to/browser (a command on PATH works too)' };
}

export function checkMode(env: NodeJS.ProcessEnv): { line: DoctorLine; mode?: Mode } {
  try {
    const mode = currentMode(env);
    const what = mode === 'mock' ? 'mode: mock (the built-in fake tenant, offline)' : 'mode: live (your own Entra tenant)';
    return { line: { ok: true, what }, mode };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const [problem] = error.problems;
    return { line: { ok: false, what: `WORKBOOK_MODE ${problem?.problem ?? 'is not valid.'}`, fix: 'leave WORKBOOK_MODE unset for mock mode, or set it to live' } };
  }
}

/**
 * The mode comes from the shell only (shared/settings.ts), so mock runs (npm test, verify, a grader) stay
 * offline even when `.env` holds a real tenant. A learner who wrote WORKBOOK_MODE into `.env` expects it
 * to count: say that it does not, and how to switch.
 */
export function checkModeInDotEnv(env: NodeJS.ProcessEnv, dotEnvMode: string | undefined): DoctorLine | undefined {
  if (dotEnvMode === undefined || dotEnvMode === (env.WORKBOOK_MODE ?? 'mock')) return undefined;
  return {
    ok: true,
    warning: true,
    what: `.env sets WORKBOOK_MODE=${dotEnvMode}, which is not read: the mode comes from your shell only (now ${env.WORKBOOK_MODE ?? 'mock'})`,
    fix: `put it in front of the command (WORKBOOK_MODE=${dotEnvMode} npm start -- doctor) or export it in your shell, and remove the line from .env`,
  };
}

/** The settings through shared/settings.ts: a line per variable in live mode, one line in mock mode. */
export function checkSettings(mode: Mode, env: NodeJS.ProcessEnv, dotEnv?: Record<string, string>): { lines: DoctorLine[]; settings?: Settings } {
  let settings: Settings | undefined;
  let problems: SettingsError['problems'] = [];
  try {
    settings = loadSettings({ env, ...(dotEnv ? { dotEnv } : {}) });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems = error.problems;
  }
  if (mode === 'mock' && settings) return { lines: [{ ok: true, what: "settings: the fake tenant's (mock mode needs none)" }], settings };
  // WORKBOOK_MODE has its own line; the hand runs' own settings mean nothing to a live tenant.
  const names = (Object.keys(SETTINGS) as SettingName[]).filter((name) => name !== 'WORKBOOK_MODE' && !('mockOnly' in SETTINGS[name]));
  const optional = new Set(Object.values(SECTION_OPTIONAL).flat());
  const given = (name: SettingName) => (env[name] ?? dotEnv?.[name] ?? '').trim() !== '';
  const lines = names.map((name): DoctorLine => {
    const problem = problems.find((candidate) => candidate.variable === name);
    // Only the variable's name is printed, never its value: one of them is a client secret.
    if (problem) return { ok: false, what: `${name} ${problem.problem}`, fix: problem.where };
    if (optional.has(name) && !given(name)) return { ok: true, what: `${name} is not set (optional): ${SETTINGS[name].description}` };
    return { ok: true, what: `${name} is valid` };
  });
  return { lines: mode === 'mock' ? lines.filter((line) => !line.ok) : lines, ...(settings ? { settings } : {}) };
}

/** The tenant's OpenID discovery document: the first thing msal-node and jose ask a tenant for. */
export async function checkDiscovery(settings: Pick<Settings, 'authority'>, fetchFn: typeof fetch, timeoutMs = 5000): Promise<DoctorLine> {
  const url = `${settings.authority}/v2.0/.well-known/openid-configuration`;
  const fix = 'check ENTRA_TENANT_ID and ENTRA_AUTHORITY_HOST, and that this machine can reach the sign-in host (a proxy?)';
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { ok: false, what: `${url} answered ${response.status}`, fix };
    const document = (await response.json()) as { issuer?: unknown };
    if (typeof document.issuer !== 'string') return { ok: false, what: `${url} is not a discovery document (no issuer)`, fix };
    return { ok: true, what: `the tenant answers: ${url}` };
  } catch (error) {
    return { ok: false, what: `${url} did not answer (${(error as Error).message})`, fix };
  }
}

export function formatDoctor(lines: DoctorLine[]): string[] {
  const failed = lines.filter((line) => !line.ok && !line.skipped).length;
  const warnings = lines.filter((line) => line.ok && line.warning).length;
  const below = (line: DoctorLine): string[] => [...(line.details ?? []).map((detail) => pc.dim(`      ${detail}`)), ...(line.fix ? [`      ${pc.cyan('fix:')} ${line.fix}`] : [])];
  const format = (line: DoctorLine): string[] => {
    if (line.ok && line.warning) return [`  ${pc.yellow('!')} ${line.what}`, ...below(line)];
    if (line.ok) return [`  ${pc.green('✓')} ${line.what}`];
    if (line.skipped) return [pc.dim(`  - ${line.what}`)];
    return [`  ${pc.red('✗')} ${line.what}`, ...below(line)];
  };
  const ready = `  Ready: npm start shows where you are.${warnings > 0 ? ` (${warnings === 1 ? 'One note' : `${warnings} notes`} above: !)` : ''}`;
  return ['', ...lines.flatMap(format), '', failed === 0 ? pc.green(ready) : pc.red(`  ${failed} problem(s) to fix.`), ''];
}

/** One variable of the repository's `.env`, if the file has it. */
function dotEnvValue(name: string): string | undefined {
  const file = join(REPO_ROOT, '.env');
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8'))[name] : undefined;
}

/** The doctor on this machine. In mock mode the fake tenant answers in-process, as it does in the checks. */
export async function doctor(): Promise<number> {
  const readJson = <T>(file: string): T | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined);
  const mock = process.env.WORKBOOK_MODE === undefined || process.env.WORKBOOK_MODE === 'mock';
  const fakeTenant = mock ? await (await import('#shared/fake-tenant/transports/msw.ts')).startFakeTenant() : undefined;
  try {
    const lines = await runDoctor({
      nodeVersion: process.versions.node,
      packageJson: readJson<PackageJson>(join(REPO_ROOT, 'package.json')) ?? {},
      packageLock: readJson<PackageLock>(join(REPO_ROOT, 'package-lock.json')),
      installedVersion: (name) => readJson<{ version?: string }>(join(REPO_ROOT, 'node_modules', name, 'package.json'))?.version,
      env: process.env,
      dotEnvMode: dotEnvValue('WORKBOOK_MODE'),
      fetch: globalThis.fetch,
      browser: findBrowser(),
      browserChecks: (await discoverLabs()).flatMap((lab) => lab.checks.filter((check) => check.needsBrowser).map((check) => check.id)),
    });
    console.log(formatDoctor(lines).join('\n'));
    return lines.every((line) => line.ok || line.skipped) ? 0 : 1;
  } finally {
    await fakeTenant?.close();
  }
}
