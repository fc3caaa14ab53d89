// The fake tenant of a hand run: the one already running on its port (`npm run tenant` in another
// terminal), once it is proved to be this workbook's own (identify.ts); or a new one, which carries on
// from the state the last run on this port saved; or, when another program holds the port, a refusal
// that says how to free it or move the tenant (FAKE_TENANT_PORT).
import pc from 'picocolors';
import type { DevCertificates } from '#shared/dev-certificates.ts';
import { APPS } from '#shared/entra/built-in-tenant.ts';
import { acceptsRedirectUri, identifyPortHolder } from '#shared/fake-tenant/transports/identify.ts';
import { describeStandalone, savedStatePath, startStandaloneTenant, tenantPortTaken, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { HandRunError } from './hand-run-error.ts';
import { nextFreePort } from './hand-run-ports.ts';

export interface HandRunTenant {
  /** Its origin, https://localhost:<port>. */
  url: string;
  /** The tenant this hand run started, which it stops at the end; undefined when it reuses one. */
  started?: StandaloneTenant;
}

export interface TenantRequest {
  port: number;
  tenantId: string;
  certificates: DevCertificates;
  /** The lab server's origin, when its users sign in through `${origin}/auth/callback`. */
  serverBaseUrl?: string;
  /** The command to repeat in a suggestion: `npm run lab -- 04`. */
  command: string;
}

export async function tenantForHandRun(request: TenantRequest): Promise<HandRunTenant> {
  const { port, certificates, command } = request;
  const url = `https://localhost:${port}`;
  const found = await identifyPortHolder(port, { ca: certificates.ca, tenantId: request.tenantId });
  if (found.holder === 'another program') throw new HandRunError(tenantPortTaken(port, found.what, command, await nextFreePort('127.0.0.1', port)));
  if (found.holder === 'our tenant') {
    await requireCallback(url, request);
    console.error(pc.dim(`Using the fake tenant already running on ${url}: its certificate is signed by this workbook's CA, and it serves this tenant.\n`));
    return { url };
  }
  const started = await startStandaloneTenant({
    port,
    stateFile: savedStatePath(port),
    serverBaseUrls: request.serverBaseUrl ? [request.serverBaseUrl] : [],
  }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new HandRunError(tenantPortTaken(port, 'a program that took it a moment ago', command, await nextFreePort('127.0.0.1', port)));
  });
  console.error(describeStandalone(started), '\n');
  return { url: started.url, started };
}

/** A tenant started elsewhere registered the callback of its own SERVER_BASE_URL: is it this one's? */
async function requireCallback(url: string, request: TenantRequest): Promise<void> {
  if (!request.serverBaseUrl) return;
  const redirectUri = `${request.serverBaseUrl}/auth/callback`;
  const accepted = await acceptsRedirectUri(url, { ca: request.certificates.ca, tenantId: request.tenantId, clientId: APPS.remoteServer, redirectUri });
  if (accepted) return;
  throw new HandRunError(
    [
      `The fake tenant running on ${url} does not accept sign-ins for ${redirectUri}: it was started with another SERVER_BASE_URL.`,
      'Stop it (Ctrl+C in its terminal) and start it with the same setting as this lab, for example:',
      `  SERVER_BASE_URL=${request.serverBaseUrl} npm run tenant`,
      `or stop it and let \`${request.command}\` start one of its own.`,
    ].join('\n'),
  );
}
