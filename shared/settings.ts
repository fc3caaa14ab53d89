// The workbook's settings: one typed, validated object for mock and live mode.
//
// mock (default): every value comes from the built-in fake tenant, so nothing needs configuring.
//   A variable set in the environment still wins (a hand run points ENTRA_AUTHORITY_HOST at the local
//   HTTPS tenant, for example); `.env` is not read, so live values there never leak into mock runs.
// live: values come from the environment and `.env`, and each one a lab needs is validated. An error
//   names the variable, says what is wrong and where in the Entra admin center the right value is.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID } from './fake-tenant/default-tenant.ts';
import { SETTINGS, type SettingName, type SettingSpec } from './settings-catalog.ts';

export type Mode = 'mock' | 'live';

export interface Settings {
  mode: Mode;
  tenantId: string;
  /** https://login.microsoftonline.com, or the local fake tenant (https://localhost:8443) in a hand run. */
  authorityHost: string;
  /** `${authorityHost}/${tenantId}`: what msal-node calls the authority. */
  authority: string;
  /** Lab 01: the public client an administrator signs in with to register the apps. */
  registrarClientId: string;
  localClientId: string;
  server: { clientId: string; clientSecret: string; baseUrl: string; redirectUri: string };
  mcpClientId: string;
}

/** The groups of settings a lab can ask for; only those are required in live mode. */
export type SettingsSection = 'tenant' | 'registrar' | 'localClient' | 'server' | 'mcpClient';

const SECTION_VARIABLES: Record<SettingsSection, SettingName[]> = {
  tenant: ['ENTRA_TENANT_ID', 'ENTRA_AUTHORITY_HOST'],
  registrar: ['REGISTRAR_CLIENT_ID'],
  localClient: ['LOCAL_CLIENT_ID'],
  server: ['SERVER_CLIENT_ID', 'SERVER_CLIENT_SECRET', 'SERVER_BASE_URL'],
  mcpClient: ['MCP_CLIENT_ID'],
};

/** One thing wrong with one variable. */
export interface SettingProblem {
  variable: SettingName;
  problem: string;
  where: string;
}

export class SettingsError extends Error {
  constructor(
    readonly mode: Mode,
    readonly problems: SettingProblem[],
  ) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.problem}\n    Where to find it: ${p.where}`);
    super(`The ${mode}-mode settings are not valid:\n${lines.join('\n')}\nSee .env.example and docs/live-mode.md.`);
    this.name = 'SettingsError';
  }
}

/** The values mock mode uses: the built-in fake tenant's. */
const MOCK_DEFAULTS: Record<SettingName, string> = {
  WORKBOOK_MODE: 'mock',
  ENTRA_TENANT_ID: TENANT_ID,
  ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.com',
  REGISTRAR_CLIENT_ID: APPS.registrar,
  LOCAL_CLIENT_ID: APPS.localClient,
  SERVER_CLIENT_ID: APPS.remoteServer,
  SERVER_CLIENT_SECRET: REMOTE_SERVER_SECRET,
  SERVER_BASE_URL: 'http://localhost:3000',
  MCP_CLIENT_ID: APPS.mcpClient,
};

const modeSchema = z.enum(['mock', 'live']);

/** Reads `.env` beside the repository root, if there is one (live mode only). */
function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

const DOT_ENV = new URL('../.env', import.meta.url);

export interface LoadOptions {
  /** The sections the caller needs besides the tenant; in live mode only these must be set. Default: all. */
  need?: SettingsSection[];
  env?: NodeJS.ProcessEnv;
  /** Values from a `.env` file (default: the repository's `.env`, read in live mode only). */
  dotEnv?: Record<string, string>;
}

export function currentMode(env: NodeJS.ProcessEnv = process.env): Mode {
  const parsed = modeSchema.safeParse(env.WORKBOOK_MODE ?? 'mock');
  if (!parsed.success) {
    throw new SettingsError('mock', [
      { variable: 'WORKBOOK_MODE', problem: `must be "mock" or "live", not "${env.WORKBOOK_MODE}".`, where: SETTINGS.WORKBOOK_MODE.where },
    ]);
  }
  return parsed.data;
}

export function loadSettings(options: LoadOptions = {}): Settings {
  const env = options.env ?? process.env;
  const mode = currentMode(env);
  const fromFile = mode === 'live' ? (options.dotEnv ?? readDotEnv(fileURLToPath(DOT_ENV))) : {};
  const sections: SettingsSection[] = ['tenant', ...(options.need ?? (Object.keys(SECTION_VARIABLES) as SettingsSection[]))];
  const need = new Set<SettingName>(sections.flatMap((section) => SECTION_VARIABLES[section]));

  const values = {} as Record<SettingName, string>;
  const problems: SettingProblem[] = [];
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec: SettingSpec = SETTINGS[name];
    const raw = env[name] ?? fromFile[name] ?? (mode === 'mock' ? MOCK_DEFAULTS[name] : spec.default);
    if (raw === undefined || raw === '') {
      if (need.has(name)) problems.push({ variable: name, problem: 'is not set.', where: spec.where });
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else if (need.has(name) || env[name] !== undefined) {
      problems.push({ variable: name, problem: parsed.error.issues[0]?.message ?? 'is not valid.', where: spec.where });
    }
  }
  if (problems.length > 0) throw new SettingsError(mode, problems);

  const authorityHost = values.ENTRA_AUTHORITY_HOST.replace(/\/+$/, '');
  const baseUrl = (values.SERVER_BASE_URL ?? '').replace(/\/+$/, '');
  return {
    mode,
    tenantId: values.ENTRA_TENANT_ID,
    authorityHost,
    authority: `${authorityHost}/${values.ENTRA_TENANT_ID}`,
    registrarClientId: values.REGISTRAR_CLIENT_ID ?? '',
    localClientId: values.LOCAL_CLIENT_ID ?? '',
    server: {
      clientId: values.SERVER_CLIENT_ID ?? '',
      clientSecret: values.SERVER_CLIENT_SECRET ?? '',
      baseUrl,
      redirectUri: baseUrl ? `${baseUrl}/auth/callback` : '',
    },
    mcpClientId: values.MCP_CLIENT_ID ?? '',
  };
}
