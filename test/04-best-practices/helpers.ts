// What lab 04's checks share: the hardened server on a free loopback port (plain HTTP in development,
// unless a check asks for HTTPS), its audit log captured line by line, and lab 03's MCP client helpers
// (the SDK's own OAuth client, a browser's part of the sign-in).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings, type Settings } from '#shared/settings.ts';
import { importTarget, targetPath } from '#shared/workbook/target.ts';
import { todo } from '#shared/workbook/todo.ts';
import { collectLog } from '../03-confidential-client/helpers.ts';
import lab from './lab.ts';

export { connect, signIn, userDetails } from '../03-confidential-client/helpers.ts';

type ServerModule = typeof import('../../solutions/04-best-practices/src/server.ts');
type AuditModule = typeof import('../../solutions/04-best-practices/src/audit.ts');
export type ServerOptions = NonNullable<Parameters<ServerModule['startServer']>[0]>;
export type RunningServer = Awaited<ReturnType<ServerModule['startServer']>>;

/**
 * What a step's untouched starter still holds. A check that builds on an earlier step names it: if that
 * step is not started, the check fails as "not started" with its TODO instead of with a confusing error.
 */
const STARTER_LEFT: Record<string, { file: string; text: string }> = {
  '04.2': { file: 'src/roles.ts', text: 'everyone may call everything' },
  '04.4': { file: 'src/graph.ts', text: "throw todo('04.4')" },
};

export function requireSteps(...stepIds: string[]): void {
  for (const id of stepIds) {
    const left = STARTER_LEFT[id]!;
    const lines = readFileSync(targetPath(lab, left.file), 'utf8').split('\n');
    // The solution holds the starter's text too, on its `#starter` line: only code lines count.
    if (lines.some((line) => line.includes(left.text) && !line.includes('#starter'))) throw todo(id);
  }
}

/** The settings with another base URL (http://… or https://…), as SERVER_BASE_URL would give. */
export function withBaseUrl(baseUrl: string): Settings {
  const settings = loadSettings({ need: ['server'] });
  return { ...settings, server: { ...settings.server, baseUrl, redirectUri: `${baseUrl}/auth/callback` } };
}

/** The audit log the target's createAuditLog makes, writing its JSON lines into `lines`. */
export async function auditLogInto(lines: string[]) {
  const { createAuditLog } = await importTarget<AuditModule>(lab, 'src/audit.ts');
  return createAuditLog({ write: (line: string) => void lines.push(line) });
}

/** The target's server on 127.0.0.1, a free port; its Entra redirect URI is registered on the app, as lab 01 would. */
export async function startLabServer(tenant: () => FakeTenant, options: ServerOptions & { logLines?: string[] } = {}): Promise<RunningServer> {
  const { startServer } = await importTarget<ServerModule>(lab, 'src/server.ts');
  const { logLines = [], ...rest } = options;
  const server = await startServer({ settings: withBaseUrl('http://localhost:3000'), port: 0, log: collectLog(logLines), ...rest });
  const app = tenant().model.applications.find((candidate) => candidate.appId === APPS.remoteServer)!;
  app.web.redirectUris.push(`${server.baseUrl}/auth/callback`);
  return server;
}

/** The names in a tools/list answer. */
export async function toolNames(client: import('@modelcontextprotocol/sdk/client/index.js').Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

/** A tool call's text and error flag, or the JSON-RPC error a refusal gives. */
export async function callTool(client: import('@modelcontextprotocol/sdk/client/index.js').Client, name: string, args: Record<string, unknown> = {}) {
  try {
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text?: string }> };
    return { isError: Boolean(result.isError), text: result.content.map((part) => part.text ?? '').join(''), rpcError: undefined };
  } catch (error) {
    expect(error, 'a refusal arrives as a JSON-RPC error').toBeInstanceOf(Error);
    return { isError: true, text: (error as Error).message, rpcError: error as Error & { code?: number } };
  }
}
