// The register command: creates the course's app registrations through Microsoft Graph and writes the
// settings the later labs read into .env. Run it as often as you like: it looks for what exists before
// it creates anything, so a second run changes nothing and adds no second secret.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Application as GraphApplication } from '#shared/entra/graph-application.ts';
import { readEnvFile, writeEnvFile } from './env-file.ts';
import { explainGraphError, RegistrationError } from './graph-errors.ts';
import { DISPLAY_NAMES, localClientApplication, remoteServerApplication, type ApplicationBody } from './registrations.ts';
import { loadRegisteredSettings } from './settings.ts';

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
  // #region solution
  return `${secret.slice(0, 3)}…***`;
  // #endregion
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
  // #region solution
  const found: { value: Application[] } = await step(`looking up the app '${body.displayName}'`, () =>
    graph.api('/applications').filter(`displayName eq ${odataString(body.displayName)}`).select(APPLICATION_FIELDS).get(),
  );
  if (found.value.length > 1) {
    // Guessing which one is meant could hand out a secret for the wrong app: stop and let a person decide.
    throw new RegistrationError(`${found.value.length} app registrations are named '${body.displayName}'. Delete the extra ones (App registrations > All applications) or choose another name, then run the command again.`);
  }
  const [existing] = found.value;
  if (existing) {
    log(`Found the app '${body.displayName}' (client id ${existing.appId}): not creating it again.`);
    return { app: existing, created: false };
  }
  const app: Application = await step(`creating the app '${body.displayName}'`, () => graph.api('/applications').post(body));
  log(`Created the app '${body.displayName}' (client id ${app.appId}).`);
  return { app, created: true };
  // #endregion
}

// TODO(01.3): Create the app's service principal (its instance in this tenant) unless it has one.
async function ensureServicePrincipal(graph: Client, app: Application, log: (line: string) => void): Promise<void> {
  // #region solution
  const found: { value: unknown[] } = await step(`looking up the service principal of '${app.displayName}'`, () =>
    graph.api('/servicePrincipals').filter(`appId eq ${odataString(app.appId)}`).select(['id']).get(),
  );
  if (found.value.length > 0) return;
  await step(`creating the service principal of '${app.displayName}'`, () => graph.api('/servicePrincipals').post({ appId: app.appId }));
  log(`Created the service principal of '${app.displayName}'.`);
  // #endregion
}

// TODO(01.3): Give the server its Application ID URI, api://{appId}: only possible once Entra has chosen the appId.
async function ensureIdentifierUri(graph: Client, app: Application, log: (line: string) => void): Promise<void> {
  // #region solution
  const uri = `api://${app.appId}`;
  if (app.identifierUris.includes(uri)) return;
  await step(`setting the Application ID URI of '${app.displayName}'`, () =>
    graph.api(`/applications/${app.id}`).patch({ identifierUris: [...app.identifierUris, uri] }),
  );
  log(`Set the Application ID URI of '${app.displayName}' to ${uri}.`);
  // #endregion
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
  // #region solution
  const saved = current.SERVER_CLIENT_ID === app.appId ? current.SERVER_CLIENT_SECRET : undefined;
  // An expired credential is still listed, but Entra refuses its secret: keep only one that is still valid.
  const valid = (credential: Application['passwordCredentials'][number]) => !credential.endDateTime || Date.parse(credential.endDateTime) > Date.now();
  if (saved && app.passwordCredentials.some((credential) => credential.hint === saved.slice(0, 3) && valid(credential))) {
    log(`Kept the client secret already in .env for '${app.displayName}' (${maskSecret(saved)}).`);
    return { secret: saved, added: false };
  }
  const start = new Date();
  const end = new Date(start.getTime() + lifetimeDays * DAY_MS);
  const credential: { secretText: string; endDateTime: string } = await step(`adding a client secret to '${app.displayName}'`, () =>
    graph.api(`/applications/${app.id}/addPassword`).post({
      passwordCredential: { displayName: 'mcp-workbook register', startDateTime: start.toISOString(), endDateTime: end.toISOString() },
    }),
  );
  // Graph shows a secret's text in this one response, never again: it goes straight to .env, masked everywhere else.
  log(`Added a client secret to '${app.displayName}' (${maskSecret(credential.secretText)}), valid until ${credential.endDateTime.slice(0, 10)}.`);
  return { secret: credential.secretText, added: true };
  // #endregion
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
