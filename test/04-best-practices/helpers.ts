// What lab 04's checks share: the hardened server on a free loopback port (plain HTTP in development,
// unless a check asks for HTTPS), its audit log captured line by line, and lab 03's MCP client helpers
// (the SDK's own OAuth client, a browser's part of the sign-in), once the target's lab 03 is done (lab03.ts).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { loadSettings, type Settings } from '#shared/settings.ts';
import { importTarget, targetPath } from '#shared/workbook/target.ts';
import { todo } from '#shared/workbook/todo.ts';
import { collectLog, useServerFor } from '../03-confidential-client/helpers.ts';
import lab from './lab.ts';

export { CHECK_TENANT, userDetails } from '../03-confidential-client/helpers.ts';
export { connect, requireLab03, signIn } from './lab03.ts';

type ServerModule = typeof import('../../labs/04-best-practices/src/server.ts');
type AuditModule = typeof import('../../labs/04-best-practices/src/audit.ts');
export type ServerOptions = NonNullable<Parameters<ServerModule['startServer']>[0]>;
export type RunningServer = Awaited<ReturnType<ServerModule['startServer']>>;

/** A code line (not a solution's `#starter` line, which holds the starter's text too) holds `text`. */
const lineHolds = (text: string) => (source: string) => source.split('\n').some((line) => line.includes(text) && !line.includes('#starter'));

/** The function's whole body is still the starter's one line: code written around that line counts as started. */
const bodyIsStarter = (name: string, line: string) => {
  const body = new RegExp(`function ${name}\\([^{]*\\{\\s*${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\n]*\\n\\}`);
  return (source: string) => body.test(source);
};

/**
 * What a step's untouched starter still holds. A check that builds on a step names it: if that step is
 * not started, the check fails at once as "not started" with its TODO instead of with a confusing error
 * (a TLS error from a server that still speaks plain HTTP, say). `04.4:rate-limit` is step 4's other file.
 */
const STARTER_LEFT: Record<string, { file: string; untouched: (source: string) => boolean }> = {
  '04.1': { file: 'src/https.ts', untouched: bodyIsStarter('createWebServer', 'return createHttpServer(); // plain HTTP, whatever the base URL says') },
  '04.2': { file: 'src/roles.ts', untouched: lineHolds('everyone may call everything') },
  '04.3': { file: 'src/audit.ts', untouched: bodyIsStarter('createAuditLog', 'return pino({}, destination); // every field as it is') },
  '04.4': { file: 'src/graph.ts', untouched: lineHolds("throw todo('04.4')") },
  '04.4:rate-limit': { file: 'src/rate-limit.ts', untouched: bodyIsStarter('perUserRateLimit', 'return (_req, _res, next) => next(); // no limit') },
  '04.5': { file: 'src/sealed-file.ts', untouched: lineHolds("throw todo('04.5')") },
};

export function requireSteps(...stepIds: string[]): void {
  for (const id of stepIds) {
    const left = STARTER_LEFT[id]!;
    if (left.untouched(readFileSync(targetPath(lab, left.file), 'utf8'))) throw todo(id.split(':')[0]!, left.file);
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

/**
 * The fake tenant and the hardened server for every check of a file, as `useFakeTenant()` gives the tenant
 * alone: `const { tenant, server } = useLabServer({ logLines })`, then `server()` inside a check.
 */
export function useLabServer(options: ServerOptions & { logLines?: string[] } = {}) {
  return useServerFor(startLabServer, options);
}

/** The names in a tools/list answer. */
export async function toolNames(client: import('@modelcontextprotocol/sdk/client/index.js').Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

/** A tool call's text and error flag, or the JSON-RPC error a refusal gives. */
export async function callTool(
  client: import('@modelcontextprotocol/sdk/client/index.js').Client,
  name: string,
  args: Record<string, unknown> = {},
  options?: import('@modelcontextprotocol/sdk/shared/protocol.js').RequestOptions,
) {
  try {
    const result = (await client.callTool({ name, arguments: args }, undefined, options)) as { isError?: boolean; content: Array<{ text?: string }> };
    return { isError: Boolean(result.isError), text: result.content.map((part) => part.text ?? '').join(''), rpcError: undefined };
  } catch (error) {
    expect(error, 'a refusal arrives as a JSON-RPC error').toBeInstanceOf(Error);
    return { isError: true, text: (error as Error).message, rpcError: error as Error & { code?: number } };
  }
}

/** A JSON-RPC answer as it comes back on the wire: a result or an error, for the request with `id`. */
export interface RpcAnswer {
  id?: string | number | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * One POST in an existing MCP session, written by hand as a hostile client would (no MCP client in the
 * way): `body` goes as it is, with the session's bearer token and no Origin header. The JSON-RPC answers
 * come back as JSON (a refusal by the server's own check) or as an event stream (the SDK's answers).
 */
export async function postInSession(
  url: URL,
  session: { token: string; sessionId: string },
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; answers: RpcAnswer[]; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${session.token}`,
      'mcp-session-id': session.sessionId,
      ...headers,
    },
    body,
    duplex: 'half', // a stream body goes out chunked
    signal: AbortSignal.timeout(5_000),
  } as RequestInit);
  const text = await response.text();
  const stream = response.headers.get('content-type')?.includes('text/event-stream');
  const payloads = stream ? text.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5)) : [text];
  const answers = payloads.flatMap((payload): RpcAnswer[] => {
    try {
      return [JSON.parse(payload) as RpcAnswer | RpcAnswer[]].flat();
    } catch {
      return []; // not JSON-RPC (an empty 202, a plain-text 400): no answers
    }
  });
  return { status: response.status, answers, text };
}

/** A tools/call request, as JSON-RPC puts it on the wire. */
export const toolsCall = (id: number, name: unknown, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});
