// The real MCP Inspector, from interop/node_modules (its own install, apart from the workbook's): its
// launcher (`mcp-inspector`, the bin npx runs) and `mcpdo`, its connection CLI. Each runs in an
// environment of its own: a private HOME (its catalog and OAuth state file go there, and the folder is
// removed after the run), secrets in memory only, and, for OAuth, a "browser" that is interop's
// headless person (browser.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../repo.ts';
import type { BrowserReport } from './browser.ts';
import { redact, start, type Started } from './processes.ts';

export const INTEROP_DIR = join(REPO_ROOT, 'interop');
const PACKAGE_DIR = join(INTEROP_DIR, 'node_modules', '@modelcontextprotocol', 'inspector');
/** The `mcp-inspector` bin. */
export const INSPECTOR_BIN = join(PACKAGE_DIR, 'clients', 'launcher', 'build', 'index.js');
/** The `mcpdo` bin. */
export const MCPDO_BIN = join(PACKAGE_DIR, 'clients', 'mcpdo', 'build', 'mcp-bin.js');

/** tsx's loader as a path: BROWSER is split on spaces and colons, so no file URL. */
const TSX_LOADER = fileURLToPath(import.meta.resolve('tsx'));
const BROWSER_SCRIPT = fileURLToPath(new URL('./browser.ts', import.meta.url));

export interface InspectorEnvOptions {
  /** The Inspector's HOME: a private folder of this run. */
  home: string;
  /** The local CA: lab 04's server and the fake tenant's pages use its certificates. */
  caCertPath: string;
  /** For OAuth: who signs in on the tenant's page, and where the browser writes what happened. */
  person?: { user: string; report: string };
}

/** The variables the Inspector runs with: only these, so nothing of the maintainer's own setup leaks in. */
export function inspectorEnv({ home, caCertPath, person }: InspectorEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    NO_COLOR: '1',
    // Tokens and client secrets in memory only (the default on a machine without a keychain is a plain file).
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    NODE_EXTRA_CA_CERTS: caCertPath,
  };
  if (!person) return env;
  return {
    ...env,
    // Admit the CLI's OAuth without a terminal, and open the authorization URL in "the browser".
    MCP_AUTO_OPEN_ENABLED: 'true',
    // The Inspector opens URLs with the `open` package, which on Linux runs xdg-open; with no desktop
    // it runs $BROWSER with the URL. (No DISPLAY here, so it never tries a desktop's handler first.)
    XDG_CURRENT_DESKTOP: 'X-Generic',
    BROWSER: `${process.execPath} --import ${TSX_LOADER} ${BROWSER_SCRIPT}`,
    INTEROP_PERSON: person.user,
    INTEROP_BROWSER_REPORT: person.report,
  };
}

/** `mcp-inspector <args>`: the Inspector's launcher, as npx runs it. */
export function runInspector(args: string[], env: Record<string, string>): Started {
  return start(process.execPath, [INSPECTOR_BIN, ...args], { cwd: REPO_ROOT, env });
}

/** `mcpdo <args>`; `cleanup` for the commands that stop its daemon. */
export function runMcpdo(args: string[], env: Record<string, string>, cleanup = false): Started {
  return start(process.execPath, [MCPDO_BIN, ...args], { cwd: REPO_ROOT, env, cleanup });
}

/** Whether BROWSER reaches the Inspector's opener on this OS (xdg-open reads it; macOS's `open` and Windows do not). */
export const BROWSER_IS_HONOURED = process.platform === 'linux';

/** Its exit code and stdout once it ends, within `timeoutMs` (then it is stopped, and this throws with its last words, redacted). */
export async function outcome(started: Started, timeoutMs: number): Promise<{ code: number | null; stdout: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const code = await Promise.race([started.exited, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await started.stop();
    throw new Error(`no answer within ${timeoutMs / 1000} s; it said: ${lastWords(started)}`);
  }
  return { code, stdout: started.stdout() };
}

/** The end of what a process wrote, redacted, for a failure's reason. */
export function lastWords(started: Started, lines = 4): string {
  return redact(started.output()).trim().split('\n').slice(-lines).join(' | ') || '(nothing)';
}

/** The browser's reports (browser.ts), oldest first. */
export function browserReports(file: string): BrowserReport[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as BrowserReport);
}
