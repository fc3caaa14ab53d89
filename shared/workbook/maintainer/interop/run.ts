// One interop run's surroundings: the fake tenant as a local HTTPS authority (as a hand run has it, but
// on a free port), a private folder for what the clients and servers write (the Inspector's HOME, lab
// 02's token cache, lab 04's store), removed at the end, and free loopback ports for the lab servers.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPS } from '#shared/entra/built-in-tenant.ts';
import { handRunEnv, startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';

export interface InteropRun {
  tenant: StandaloneTenant;
  /** A folder only this user can read, for this run alone. */
  dir: string;
  /** A new folder in `dir`. */
  folder(name: string): string;
  /** What a lab process needs to use the tenant (the CA, the authority, Graph through it), as in a hand run. */
  labEnv(): Record<string, string>;
  /** Registers `${baseUrl}/auth/callback` on the remote server's app, as an administrator would in the portal. */
  registerServerCallback(baseUrl: string): void;
  close(): Promise<void>;
}

export async function startRun(): Promise<InteropRun> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-workbook-interop-')); // mode 0700
  const tenant = await startStandaloneTenant({ port: 0 });
  return {
    tenant,
    dir,
    folder: (name) => mkdtempSync(join(dir, `${name}-`)),
    labEnv: () => handRunEnv(tenant),
    registerServerCallback: (baseUrl) => {
      const server = tenant.tenant.model.applications.find((app) => app.appId === APPS.remoteServer)!;
      server.web.redirectUris.push(`${baseUrl}/auth/callback`);
    },
    close: async () => {
      await tenant.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
