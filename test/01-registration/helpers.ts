// What the checks of steps 01.3 and 01.4 share: an admin signed in through the lab's own Graph client
// (device code, approved by a person in the fake tenant), unique app names, and a temporary .env.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings } from '#shared/settings.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

export type GraphClientModule = typeof import('../../labs/01-registration/src/graph-client.ts');
export type RegisterModule = typeof import('../../labs/01-registration/src/register.ts');

export const register = async () => (await importTarget<RegisterModule>(lab, 'src/register.ts')).register;

/** A Graph client for `user`, signed in with the lab's device code flow as `clientId` (default: the registrar). */
export async function adminGraph(tenant: () => FakeTenant, user: string, clientId?: string): Promise<Client> {
  const { adminTokenProvider, graphClient } = await importTarget<GraphClientModule>(lab, 'src/graph-client.ts');
  const settings = loadSettings({ need: ['registrar'] });
  const getAccessToken = adminTokenProvider({
    settings,
    clientId: clientId ?? settings.registrarClientId,
    onDeviceCode: ({ userCode }) => tenant().approveDeviceCode(userCode, user), // the admin enters the code
  });
  return graphClient(getAccessToken);
}

/**
 * The fake tenant as this lab's checks start it: a device code client polls every 50 ms (Entra says
 * every 5 s; the admin here enters the code before msal's first poll anyway), and its signing keys are an
 * earlier check file's (no RSA key generated per file). What the lab's code sees is Entra's protocol all
 * the same (docs/fake-tenant.md).
 */
export const TENANT_OPTIONS = { deviceCodeIntervalSeconds: 0.05, reuseSigningKeys: true };

/** Display names no other check uses, so each check starts with apps that do not exist yet. */
export function uniqueNames(): { localClient: string; remoteServer: string } {
  const tag = randomUUID().slice(0, 8);
  return { localClient: `Local client ${tag}`, remoteServer: `Remote server ${tag}` };
}

export function tempEnvFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'lab01-')), '.env');
}

export const graphPosts = (tenant: () => FakeTenant) =>
  tenant().log.count((entry) => entry.host === 'graph.microsoft.com' && entry.method === 'POST');
