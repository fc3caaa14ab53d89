// What lab 05's checks share: the settings, tokens minted by the fake tenant's own signing key (so a
// check can make exactly the token it needs, good or bad), and the lab's server on a random port.
import { readFileSync } from 'node:fs';
import type { JWTPayload } from 'jose';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings } from '#shared/settings.ts';
import { todoFailure } from '#shared/workbook/check.ts';
import { importTarget, targetPath } from '#shared/workbook/target.ts';
import { todo } from '#shared/workbook/todo.ts';
import lab from './lab.ts';

export type ServerModule = typeof import('../../labs/05-resource-server/src/server.ts');
export type VerifierModule = typeof import('../../labs/05-resource-server/src/token-verifier.ts');

export const settings = () => loadSettings({ need: ['server', 'mcpClient'] });
export const ISSUER = `https://login.microsoftonline.com/${TENANT_ID}/v2.0`;
export const FULL_SCOPE = `api://${APPS.remoteServer}/mcp.tools`;

/**
 * The fake tenant as this lab's checks start it: its signing keys are an earlier check file's (no RSA key
 * generated per file), and a rotation still brings a key it never had (docs/fake-tenant.md).
 */
export const TENANT_OPTIONS = { reuseSigningKeys: true };

/** The claims of a v2 access token Entra issues to the MCP client for the server, for `user`. */
export function goodClaims(tenant: FakeTenant, userPrincipalName: string, overrides: JWTPayload = {}): JWTPayload {
  const user = tenant.model.users.find((candidate) => candidate.userPrincipalName === userPrincipalName)!;
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: APPS.remoteServer,
    iss: ISSUER,
    iat: now,
    nbf: now,
    exp: now + 3599,
    tid: TENANT_ID,
    oid: user.id,
    sub: `pairwise-${user.id.slice(0, 8)}`,
    azp: APPS.mcpClient,
    scp: 'mcp.tools',
    name: user.displayName,
    preferred_username: user.userPrincipalName,
    ver: '2.0',
    ...overrides,
  };
}

/** A token signed by the tenant's current key. */
export const userToken = (tenant: FakeTenant, upn: string, overrides: JWTPayload = {}) => tenant.keys.sign(goodClaims(tenant, upn, overrides));

/** What the lab's code hands to its `log` option: an event object, if it follows the rule of step 2. */
export interface LoggedEvent {
  event?: unknown;
  reason?: unknown;
  [field: string]: unknown;
}

/** The logged entries that are event objects named `name` (a string handed to log() is none). */
export function eventsNamed(logs: unknown[], name: string): LoggedEvent[] {
  return logs.filter((entry): entry is LoggedEvent => typeof entry === 'object' && entry !== null && (entry as LoggedEvent).event === name);
}

/** The lab's server on a random loopback port, its log events collected. */
export async function startServer(options: { graphScopes?: string[]; allowedOrigins?: string[] } = {}) {
  const { startResourceServer } = await importTarget<ServerModule>(lab, 'src/server.ts');
  const logs: unknown[] = [];
  const server = await startResourceServer({ settings: settings(), log: (event) => logs.push(event), ...options });
  return { ...server, logs };
}

/**
 * Fails as "not started", with that step's TODO, when one of `stepIds` is still its starter in the target.
 * The server turns a verifier's TodoError into a 500, so an attack over HTTP names the steps it needs first.
 */
export function requireSteps(...stepIds: string[]): void {
  for (const id of stepIds) {
    const step = lab.steps.find((candidate) => candidate.id === id)!;
    if (readFileSync(targetPath(lab, step.file), 'utf8').includes(`throw todo('${id}')`)) throw todo(id);
  }
}

/** The body of an MCP initialize request, for raw HTTP checks. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'check', version: '1.0.0' } },
};

export function postMcp(url: URL, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(INITIALIZE),
  });
}

/** A `WWW-Authenticate` value the SDK's clients can parse: `Bearer` and quoted parameters, no stray quotes. */
export const WELL_FORMED_CHALLENGE = /^Bearer [a-z_]+="[^"\\]*"(, [a-z_]+="[^"\\]*")*$/;

/**
 * What `promise` resolved to, or what it rejected with, so that one labelled assertion reads either
 * (vitest drops a label on `.resolves`); a reached todo() is rethrown, so the check reads "not started".
 */
export async function outcomeOf<T>(promise: Promise<T>): Promise<{ resolved: T } | { rejected: unknown }> {
  try {
    return { resolved: await promise };
  } catch (error) {
    const todo = todoFailure(error);
    if (todo) throw todo;
    return { rejected: error };
  }
}

/** What `promise` rejected with (undefined if it resolved); a reached todo() is rethrown, so the check reads "not started". */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const todo = todoFailure(error);
    if (todo) throw todo;
    return error;
  }
}
