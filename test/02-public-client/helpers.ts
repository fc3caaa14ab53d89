// What lab 02's checks share: the lab's modules by type, a temporary cache folder, the settings of the
// local client, and a person who approves device codes in the fake tenant.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceCodeRequest } from '@azure/msal-node';
import { onTestFinished } from 'vitest';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings } from '#shared/settings.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

export type TokenCacheModule = typeof import('../../labs/02-public-client/src/token-cache.ts');
export type AuthenticationModule = typeof import('../../labs/02-public-client/src/authentication-service.ts');
export type GraphModule = typeof import('../../labs/02-public-client/src/graph.ts');
export type McpServerModule = typeof import('../../labs/02-public-client/src/mcp-server.ts');

export const tokenCache = () => importTarget<TokenCacheModule>(lab, 'src/token-cache.ts');
export const authentication = () => importTarget<AuthenticationModule>(lab, 'src/authentication-service.ts');
export const graphModule = () => importTarget<GraphModule>(lab, 'src/graph.ts');
export const mcpServer = () => importTarget<McpServerModule>(lab, 'src/mcp-server.ts');

export const localClientSettings = () => loadSettings({ need: ['localClient'] });

/**
 * The fake tenant as this lab's checks start it: a device code client polls every 50 ms (Entra says
 * every 5 s), so a sign-in finished while msal waits (a stdio server's prompt, read from its stderr) ends
 * at once; and its signing keys are an earlier check file's (no RSA key generated per file). What the
 * lab's code sees is Entra's protocol all the same (docs/fake-tenant.md).
 */
export const TENANT_OPTIONS = { deviceCodeIntervalSeconds: 0.05, reuseSigningKeys: true };

/** A cache folder of the running check's own, removed when the check ends. */
export function tempCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab02-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const newKey = () => randomBytes(32);

/** A device code callback that has `user` enter the code in the fake tenant, and counts the prompts. */
export function personWhoApproves(tenant: () => FakeTenant, user: string) {
  const person = {
    prompts: 0,
    user,
    onDeviceCode: ((response) => {
      person.prompts += 1;
      tenant().approveDeviceCode(response.userCode, person.user);
    }) as DeviceCodeRequest['deviceCodeCallback'],
  };
  return person;
}

export const tokenRequests = (tenant: () => FakeTenant, grantType?: string) =>
  tenant().log.count((entry) => entry.endpoint === 'token' && (grantType === undefined || entry.grantType === grantType));
