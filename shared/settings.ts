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
// The built-in tenant's ids, plain values: this module runs live too, so it never imports the fake tenant.
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID } from './entra/built-in-tenant.ts';
import { SETTINGS, type SettingName, type SettingSpec } from './settings-catalog.ts';

export type Mode = 'mock' | 'live';

/** LOCAL_SIGN_IN: the system browser, a device code, or whichever this session allows. */
export type LocalSignIn = 'auto' | 'browser' | 'device-code';

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
  /** Lab 02: how the local server signs the person in when its cache cannot (LOCAL_SIGN_IN). */
  localSignIn: LocalSignIn;
  server: {
    clientId: string;
    clientSecret: string;
    baseUrl: string;
    redirectUri: string;
    /** Lab 04: the server's own certificate (SERVER_TLS_*); unset: the development certificate. */
    certificate?: ServerCertificate;
    /** Lab 04: where the server listens (SERVER_LISTEN); unset: 127.0.0.1 and the base URL's port. */
    listen?: { host: string; port: number };
    /** Lab 04: Express's `trust proxy` (SERVER_TRUST_PROXY): a hop count or addresses; unset: no proxy trusted. */
    trustProxy?: number | string[];
  };
  mcpClientId: string;
  /** Mock mode, hand runs: the port of the local fake tenant (FAKE_TENANT_PORT, 8443). */
  fakeTenantPort: number;
}

/** A certificate and its key as PEM files, or one PKCS#12 file with its passphrase. */
export type ServerCertificate = { certFile: string; keyFile: string } | { pfxFile: string; passphrase?: string };

/** The groups of settings a lab can ask for; only those are required in live mode. */
export type SettingsSection = 'tenant' | 'registrar' | 'localClient' | 'server' | 'mcpClient';

const SECTION_VARIABLES: Record<SettingsSection, SettingName[]> = {
  tenant: ['ENTRA_TENANT_ID', 'ENTRA_AUTHORITY_HOST'],
  registrar: ['REGISTRAR_CLIENT_ID'],
  localClient: ['LOCAL_CLIENT_ID'],
  server: ['SERVER_CLIENT_ID', 'SERVER_CLIENT_SECRET', 'SERVER_BASE_URL'],
  mcpClient: ['MCP_CLIENT_ID'],
};

/** Settings a section may use but does not need: validated when given, never "not set". */
export const SECTION_OPTIONAL: Partial<Record<SettingsSection, SettingName[]>> = {
  localClient: ['LOCAL_SIGN_IN'],
  server: ['SERVER_TLS_CERT_FILE', 'SERVER_TLS_KEY_FILE', 'SERVER_TLS_PFX_FILE', 'SERVER_TLS_PFX_PASSPHRASE', 'SERVER_LISTEN', 'SERVER_TRUST_PROXY'],
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
  LOCAL_SIGN_IN: 'auto',
  SERVER_CLIENT_ID: APPS.remoteServer,
  SERVER_CLIENT_SECRET: REMOTE_SERVER_SECRET,
  SERVER_BASE_URL: 'http://localhost:3000',
  MCP_CLIENT_ID: APPS.mcpClient,
  FAKE_TENANT_PORT: SETTINGS.FAKE_TENANT_PORT.default,
  // The development certificate and no proxy, unless the environment says otherwise.
  SERVER_TLS_CERT_FILE: '',
  SERVER_TLS_KEY_FILE: '',
  SERVER_TLS_PFX_FILE: '',
  SERVER_TLS_PFX_PASSPHRASE: '',
  SERVER_LISTEN: '',
  SERVER_TRUST_PROXY: '',
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
  const mayUse = new Set<SettingName>(sections.flatMap((section) => SECTION_OPTIONAL[section] ?? []));

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
    else if (need.has(name) || mayUse.has(name) || env[name] !== undefined) {
      problems.push({ variable: name, problem: parsed.error.issues[0]?.message ?? 'is not valid.', where: spec.where });
    }
  }
  if (sections.includes('server')) problems.push(...certificateProblems(values));
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
    localSignIn: (values.LOCAL_SIGN_IN ?? 'auto') as LocalSignIn,
    server: {
      clientId: values.SERVER_CLIENT_ID ?? '',
      clientSecret: values.SERVER_CLIENT_SECRET ?? '',
      baseUrl,
      redirectUri: baseUrl ? `${baseUrl}/auth/callback` : '',
      ...serverCertificate(values),
      ...listenAddress(values.SERVER_LISTEN),
      ...trustProxy(values.SERVER_TRUST_PROXY),
    },
    mcpClientId: values.MCP_CLIENT_ID ?? '',
    fakeTenantPort: Number(values.FAKE_TENANT_PORT ?? SETTINGS.FAKE_TENANT_PORT.default),
  };
}

/** The certificate settings go together: a PEM certificate with its key, or a PFX; never both. */
function certificateProblems(values: Partial<Record<SettingName, string>>): SettingProblem[] {
  const problem = (variable: SettingName, text: string): SettingProblem => ({ variable, problem: text, where: SETTINGS[variable].where });
  const { SERVER_TLS_CERT_FILE: cert, SERVER_TLS_KEY_FILE: key, SERVER_TLS_PFX_FILE: pfx, SERVER_TLS_PFX_PASSPHRASE: passphrase } = values;
  if (pfx && (cert || key)) return [problem('SERVER_TLS_PFX_FILE', 'is set, and so are PEM files (SERVER_TLS_CERT_FILE, SERVER_TLS_KEY_FILE): give one or the other.')];
  if (cert && !key) return [problem('SERVER_TLS_KEY_FILE', 'is not set: SERVER_TLS_CERT_FILE needs its private key.')];
  if (key && !cert) return [problem('SERVER_TLS_CERT_FILE', 'is not set: SERVER_TLS_KEY_FILE is the key of a certificate.')];
  if (passphrase && !pfx) return [problem('SERVER_TLS_PFX_FILE', 'is not set: SERVER_TLS_PFX_PASSPHRASE opens a .pfx file.')];
  return [];
}

function serverCertificate(values: Partial<Record<SettingName, string>>): { certificate?: ServerCertificate } {
  if (values.SERVER_TLS_PFX_FILE) {
    const passphrase = values.SERVER_TLS_PFX_PASSPHRASE;
    return { certificate: { pfxFile: values.SERVER_TLS_PFX_FILE, ...(passphrase ? { passphrase } : {}) } };
  }
  if (values.SERVER_TLS_CERT_FILE && values.SERVER_TLS_KEY_FILE) {
    return { certificate: { certFile: values.SERVER_TLS_CERT_FILE, keyFile: values.SERVER_TLS_KEY_FILE } };
  }
  return {};
}

/** SERVER_TRUST_PROXY as Express reads it: a hop count, or a list of addresses, ranges and names. */
function trustProxy(value: string | undefined): { trustProxy?: number | string[] } {
  if (!value) return {};
  return { trustProxy: /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim()) };
}

/** SERVER_LISTEN (`host:port`, `[::]:port`) split for net.Server.listen. */
function listenAddress(value: string | undefined): { listen?: { host: string; port: number } } {
  if (!value) return {};
  const colon = value.lastIndexOf(':');
  return { listen: { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) } };
}
