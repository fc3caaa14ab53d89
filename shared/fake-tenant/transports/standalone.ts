// `npm run tenant`: the fake tenant as a real HTTPS server on https://localhost:8443 (FAKE_TENANT_PORT),
// for hand runs. A browser can sign in on its pages; lab code reaches it with ENTRA_AUTHORITY_HOST
// (msal-node's `knownAuthorities`) and, for Graph, by loading register.ts with this server as its bridge.
// It keeps its keys, grants and consents in .workbook/fake-tenant/ between runs (saved-state.ts), so
// stopping it (or `npm run lab`) and starting it again is like restarting your server, not Entra.
import { fileURLToPath, pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { ensureDevCertificates, type DevCertificates } from '../../dev-certificates.ts';
import { APPS } from '../../entra/built-in-tenant.ts';
import { loadSettings } from '../../settings.ts';
import { FakeTenant } from '../fake-tenant.ts';
import { readSavedState, writeSavedState } from '../saved-state.ts';
import { identifyPortHolder } from './identify.ts';
import { serveTenant, type TenantHandler } from './server.ts';

export interface StandaloneTenant {
  tenant: FakeTenant;
  /** The origin, e.g. `https://localhost:8443`: the authority host. */
  url: string;
  /** `${url}/${tenantId}`: what msal-node calls the authority. */
  authority: string;
  certificates: DevCertificates;
  /** Where it keeps its state between runs, if it does (`stateFile`). */
  stateFile?: string;
  /** Stops it; with a `stateFile`, after writing its state a last time. */
  close(): Promise<void>;
}

export interface StandaloneOptions {
  /** Default 8443; 0 picks a free port (tests). */
  port?: number;
  /** Default: the built-in tenant, with the state `stateFile` holds, if any. */
  tenant?: FakeTenant;
  /** Keep the tenant's keys, grants and consents in this file between runs (hand runs: savedStatePath(port)). */
  stateFile?: string;
  /** The lab server's origins (SERVER_BASE_URL): `${origin}/auth/callback` is registered on the server app, as lab 01 would. */
  serverBaseUrls?: string[];
}

/** Where a hand run's tenant on `port` keeps its state: one file per port, in .workbook/ (never committed). */
export function savedStatePath(port: number): string {
  return fileURLToPath(new URL(`../../../.workbook/fake-tenant/hand-run-${port}.json`, import.meta.url));
}

/** A moment after each request, and when it closes, the tenant writes its state (one write for a burst). */
const SAVE_DELAY_MS = 200;

export async function startStandaloneTenant(options: StandaloneOptions = {}): Promise<StandaloneTenant> {
  const certificates = await ensureDevCertificates();
  const saved = options.stateFile && !options.tenant ? await readSavedState(options.stateFile) : undefined;
  const tenant = options.tenant ?? (await FakeTenant.create(saved ? { savedState: saved } : {}));
  registerCallbacks(tenant, options.serverBaseUrls ?? []);
  const saving = options.stateFile ? savingState(tenant, options.stateFile) : undefined;
  const server = await serveTenant(saving ?? tenant, {
    host: 'localhost', // the name the certificate is for
    port: options.port ?? 8443,
    tls: { key: certificates.key, cert: certificates.cert },
  });
  return {
    tenant,
    url: server.url,
    authority: `${server.url}/${tenant.model.tenantId}`,
    certificates,
    ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    close: async () => {
      await server.close();
      await saving?.flush();
    },
  };
}

/** `${origin}/auth/callback` for each lab server origin, on the remote server's app registration. */
function registerCallbacks(tenant: FakeTenant, origins: string[]): void {
  const app = tenant.model.applications.find((candidate) => candidate.appId === APPS.remoteServer);
  for (const origin of origins) {
    const callback = `${origin.replace(/\/+$/, '')}/auth/callback`;
    if (app && !app.web.redirectUris.includes(callback)) app.web.redirectUris.push(callback);
  }
}

/** The tenant's handler, writing its state to `file` a moment after the requests that may change it. */
function savingState(tenant: FakeTenant, file: string): TenantHandler & { flush(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    writing = writing
      .then(async () => writeSavedState(file, await tenant.savedState()))
      .catch((error: Error) => console.error(`fake tenant: could not keep its state in ${file}: ${error.message}`));
    return writing;
  };
  return {
    async handle(request) {
      const response = await tenant.handle(request);
      // Discovery and keys change nothing; everything else may (a sign-in, a token, a consent).
      if (!/\/(openid-configuration|keys)$/.test(new URL(request.url).pathname)) timer ??= setTimeout(save, SAVE_DELAY_MS);
      return response;
    },
    flush: save,
  };
}

/**
 * The environment of a lab process in a hand run: trust the local CA (Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, and it names one file), use this tenant as the authority, and, with
 * `node --import tsx --import register.ts` (see bridge.ts `registerArgs()`), send Graph calls to it as well.
 */
export function handRunEnv({ url, certificates }: Pick<StandaloneTenant, 'url' | 'certificates'>): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: certificates.caCertPath, ENTRA_AUTHORITY_HOST: url, FAKE_TENANT_BRIDGE: url };
}

/** What a person needs to use the running tenant. */
export function describeStandalone({ tenant, url, authority, certificates, stateFile }: StandaloneTenant): string {
  const { model } = tenant;
  const users = model.users.map((user) => `    ${user.displayName.padEnd(14)} ${user.userPrincipalName}`);
  return [
    pc.bold(`The fake Entra ID tenant "${model.displayName}" is running.`),
    '',
    `  Authority      ${pc.cyan(authority)}`,
    `  Discovery      ${authority}/v2.0/.well-known/openid-configuration`,
    `  Device login   ${url}/devicelogin`,
    '',
    `  Sign in as (password "${model.users[0]?.password}", a fake one):`,
    ...users,
    '',
    `  Its certificate is signed by a local CA, ${certificates.caCertPath}: your browser warns about it`,
    '  unless you trust that CA. To run lab code against this tenant, start it with',
    ...Object.entries(handRunEnv({ url, certificates })).map(([name, value]) => `    ${pc.cyan(`${name}=${value}`)}`),
    `  and, so its Graph calls come here too: node --import tsx --import ${new URL('./register.ts', import.meta.url).href} <file>`,
    pc.dim('  (Node reads NODE_EXTRA_CA_CERTS only when it starts; setting it later does nothing.)'),
    ...(stateFile
      ? ['', `  It keeps its keys, sign-ins and consents for its next run in ${stateFile}`, pc.dim('  (readable by you alone; delete it to start afresh).')]
      : []),
  ].join('\n');
}

/** The message for a tenant port another program holds: what to do about it. */
export function tenantPortTaken(port: number, what: string, command = 'npm run tenant', freePort = port + 1): string {
  return [
    `Port ${port} is in use, and not by this workbook's fake tenant: ${what}.`,
    'Stop that program, or give the fake tenant another port with the FAKE_TENANT_PORT setting, for example:',
    `  FAKE_TENANT_PORT=${freePort} ${command}`,
  ].join('\n');
}

async function main(): Promise<void> {
  // Mock mode's settings, whatever the shell says: this is the fake tenant.
  const settings = loadSettings({ env: { ...process.env, WORKBOOK_MODE: 'mock' } });
  const port = settings.fakeTenantPort;
  const found = await identifyPortHolder(port, { ca: (await ensureDevCertificates()).ca, tenantId: settings.tenantId });
  if (found.holder !== 'nobody') {
    console.error(
      found.holder === 'our tenant'
        ? `The fake tenant is already running on https://localhost:${port} (npm run tenant or npm run lab in another terminal): use that one.`
        : tenantPortTaken(port, found.what),
    );
    process.exit(1);
  }
  const standalone = await startStandaloneTenant({ port, stateFile: savedStatePath(port), serverBaseUrls: [settings.server.baseUrl] }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      console.error(tenantPortTaken(port, 'a program that took it a moment ago'));
      process.exit(1);
    },
  );
  console.log(describeStandalone(standalone));
  console.log(pc.dim('\nPress Ctrl+C to stop.'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void standalone.close().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
