// `npm run tenant`: the fake tenant as a real HTTPS server on https://localhost:8443, for hand runs.
// A browser can sign in on its pages; lab code reaches it with ENTRA_AUTHORITY_HOST (msal-node's
// `knownAuthorities`) and, for Graph, by loading register.ts with this server as its bridge.
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { ensureDevCertificates, type DevCertificates } from '../../dev-certificates.ts';
import { FakeTenant } from '../fake-tenant.ts';
import { serveTenant } from './server.ts';

export interface StandaloneTenant {
  tenant: FakeTenant;
  /** The origin, e.g. `https://localhost:8443`: the authority host. */
  url: string;
  /** `${url}/${tenantId}`: what msal-node calls the authority. */
  authority: string;
  certificates: DevCertificates;
  close(): Promise<void>;
}

export interface StandaloneOptions {
  /** Default 8443; 0 picks a free port (tests). */
  port?: number;
  /** Default: a fresh built-in tenant. */
  tenant?: FakeTenant;
}

export async function startStandaloneTenant(options: StandaloneOptions = {}): Promise<StandaloneTenant> {
  const certificates = await ensureDevCertificates();
  const tenant = options.tenant ?? (await FakeTenant.create());
  const server = await serveTenant(tenant, {
    host: 'localhost', // the name the certificate is for
    port: options.port ?? 8443,
    tls: { key: certificates.key, cert: certificates.cert },
  });
  return { tenant, url: server.url, authority: `${server.url}/${tenant.model.tenantId}`, certificates, close: server.close };
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
export function describeStandalone({ tenant, url, authority, certificates }: StandaloneTenant): string {
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
    '',
    pc.dim('Press Ctrl+C to stop.'),
  ].join('\n');
}

async function main(): Promise<void> {
  const standalone = await startStandaloneTenant().catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error('Port 8443 is already in use: is the fake tenant already running in another terminal?');
    process.exit(1);
  });
  console.log(describeStandalone(standalone));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void standalone.close().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
