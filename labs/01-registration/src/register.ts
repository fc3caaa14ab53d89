// The register command: creates the course's app registrations through Microsoft Graph and writes the
// settings the later labs read into .env. Run it as often as you like: it looks for what exists before
// it creates anything, so a second run changes nothing and adds no second secret.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Application as GraphApplication } from '#shared/entra/graph-application.ts';
import { readEnvFile, writeEnvFile } from './env-file.ts';
import { explainGraphError, RegistrationError } from './graph-errors.ts';
import { DISPLAY_NAMES, localClientApplication, remoteServerApplication, type ApplicationBody } from './registrations.ts';
import { loadRegisteredSettings } from './settings.ts';
import { todo } from '#shared/workbook/todo.ts';

/** An app registration as Graph returns it, with the fields this command reads (APPLICATION_FIELDS). */
type Application = Pick<GraphApplication, 'id' | 'appId' | 'displayName' | 'identifierUris' | 'passwordCredentials'>;

export interface RegisterOptions {
  /** A Graph client acting for an administrator (see graph-client.ts). */
  graph: Client;
  /** The .env file to write (created with mode 0600; other lines in it are kept). */
  envFile: string;
  tenantId: string;
  /** Where the remote server listens: its redirect URI is `${serverBaseUrl}/auth/callback`. */
  serverBaseUrl: string;
  /** Other display names (the course's by default). */
  names?: Partial<Record<keyof typeof DISPLAY_NAMES, string>>;
  /** How long a new client secret lives. Short is safer: a leaked secret stops working sooner. */
  secretLifetimeDays?: number;
  /** Where progress goes (one line at a time); default: stderr. */
  log?: (line: string) => void;
}

export interface RegisterResult {
  localClient: { appId: string; created: boolean };
  remoteServer: { appId: string; created: boolean };
  /** `added`: a new secret is in .env; `kept`: .env already held a valid secret for this app. */
  secret: 'added' | 'kept';
  /** The variables written to .env, with the secret masked. */
  written: Record<string, string>;
}

export const DEFAULT_SECRET_LIFETIME_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;
const APPLICATION_FIELDS = ['id', 'appId', 'displayName', 'identifierUris', 'passwordCredentials'];

// TODO(01.3): Mask a secret for display: its first three characters (what the portal shows as its hint), then `…***`.
export function maskSecret(secret: string): string {
  throw todo('01.3');
}

/** Runs one Graph call; a failure becomes a message that says what to do. */
async function step<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainGraphError(error, doing);
  }
}

/** OData string literals double their single quotes: `O'Brien` becomes `'O''Brien'`. */
const odataString = (value: string) => `'${value.replaceAll("'", "''")}'`;

// TODO(01.3): Find the app by its display name ($filter); create it only if there is none.
async function ensureApplication(graph: Client, body: ApplicationBody, log: (line: string) => void): Promise<{ app: Application; created: boolean }> {
  throw todo('01.3');
}

// TODO(01.3): Create the app's service principal (its instance in this tenant) unless it has one.
async function ensureServicePrincipal(graph: Client, app: Application, log: (line: string) => void): Promise<void> {
  throw todo('01.3');
}

// TODO(01.3): Give the server its Application ID URI, api://{appId}: only possible once Entra has chosen the appId.
async function ensureIdentifierUri(graph: Client, app: Application, log: (line: string) => void): Promise<void> {
  throw todo('01.3');
}

// TODO(01.3): Decide about the server's secret: keep the one .env holds for this app if Entra still has it
// (a credential with its hint that has not expired); otherwise add one with a bounded lifetime. Never add a
// secret on every run.
async function ensureSecret(
  graph: Client,
  app: Application,
  current: Record<string, string>,
  lifetimeDays: number,
  log: (line: string) => void,
): Promise<{ secret: string; added: boolean }> {
  throw todo('01.3');
}

export async function register(options: RegisterOptions): Promise<RegisterResult> {
  const { graph, envFile, tenantId, serverBaseUrl, names = {} } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lifetimeDays = options.secretLifetimeDays ?? DEFAULT_SECRET_LIFETIME_DAYS;

  const local = await ensureApplication(graph, localClientApplication({ displayName: names.localClient }), log);
  const server = await ensureApplication(graph, remoteServerApplication({ serverBaseUrl, displayName: names.remoteServer }), log);
  await ensureServicePrincipal(graph, local.app, log);
  await ensureServicePrincipal(graph, server.app, log);
  await ensureIdentifierUri(graph, server.app, log);
  const current = readEnvFile(envFile);
  const { secret, added } = await ensureSecret(graph, server.app, current, lifetimeDays, log);

  const values = {
    ENTRA_TENANT_ID: tenantId,
    LOCAL_CLIENT_ID: local.app.appId,
    SERVER_CLIENT_ID: server.app.appId,
    SERVER_CLIENT_SECRET: secret,
    SERVER_BASE_URL: serverBaseUrl,
  };
  loadRegisteredSettings(values); // what the later labs will read must pass their rules
  writeEnvFile(envFile, values);
  log(`Wrote ${Object.keys(values).join(', ')} to ${envFile} (mode 0600).`);
  return {
    localClient: { appId: local.app.appId, created: local.created },
    remoteServer: { appId: server.app.appId, created: server.created },
    secret: added ? 'added' : 'kept',
    written: { ...values, SERVER_CLIENT_SECRET: maskSecret(secret) },
  };
}
