// What lab 03's checks share: the lab's server on a free loopback port, an MCP client that keeps its
// OAuth state in memory (the SDK's own auth() does the OAuth work), and the browser's part of the sign-in.
import { readFileSync } from 'node:fs';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, type StreamableHTTPClientTransportOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { loadSettings } from '#shared/settings.ts';
import { MemoryOAuthClient } from '#shared/workbook/hand-run/oauth-memory.ts';
import { importTarget, targetPath } from '#shared/workbook/target.ts';
import { todo } from '#shared/workbook/todo.ts';
import lab from './lab.ts';

export type ServerModule = typeof import('../../labs/03-confidential-client/src/server.ts');
export type StoreModule = typeof import('../../labs/03-confidential-client/src/token-store.ts');
type TokenStore = import('../../labs/03-confidential-client/src/token-store.ts').TokenStore;
export type RunningServer = Awaited<ReturnType<ServerModule['startServer']>>;

/**
 * The fake tenant as labs 03 and 04 run it: a tenant signs with a key an earlier (closed) tenant of the
 * worker used instead of generating an RSA pair per check file (docs/fake-tenant.md). No check of these
 * labs compares keys across files; a rotation still brings a key the tenant never had.
 */
export const CHECK_TENANT = { reuseSigningKeys: true, directLoopbackFetch: true } as const;

/** Where the MCP client's browser would land; nothing listens there, the checks read the redirect instead. */
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/oauth/callback';

/** The steps whose starter keeps the server working instead of throwing: the line each starter holds. */
const STARTER_TEXT: Record<string, RegExp> = {
  '03.4': /^\s*\/\/ Your \/mcp routes go here/m,
  '03.6': /^\s*return \(_req, _res, next\) => next\(\); \/\/ every page is welcome/m,
  '03.7': /^\s*\/\/ Nothing is forgotten yet/m,
};

/**
 * The server turns a step's TodoError into a 500 or an OAuth error redirect, so a check of a later step
 * would only say "expected 302, got 500". A check first names the steps it needs: one still untouched
 * in the target (its starter text is there) fails the check as "not started", with that step's TODO.
 */
export function requireSteps(...stepIds: string[]): void {
  for (const id of stepIds) {
    const step = lab.steps.find((candidate) => candidate.id === id)!;
    const source = readFileSync(targetPath(lab, step.file), 'utf8');
    const starterLeft = source.includes(`throw todo('${id}')`) || STARTER_TEXT[id]?.test(source);
    if (starterLeft) throw todo(id);
  }
}

/** The lab's server on 127.0.0.1, a free port; its Entra redirect URI is registered on the app, as lab 01 would. */
export async function startLabServer(tenant: () => FakeTenant, options: LabServerOptions = {}): Promise<RunningServer> {
  const { startServer } = await importTarget<ServerModule>(lab, 'src/server.ts');
  const logLines = options.logLines ?? [];
  const server = await startServer({ settings: loadSettings({ need: ['server'] }), port: 0, store: options.store, log: collectLog(logLines) });
  const app = tenant().model.applications.find((candidate) => candidate.appId === APPS.remoteServer)!;
  app.web.redirectUris.push(`${server.baseUrl}/auth/callback`);
  return server;
}

/** What startLabServer takes: a store of the check's own (to look inside), and where the log lines go. */
export interface LabServerOptions {
  logLines?: string[];
  store?: TokenStore;
}

/**
 * The fake tenant and the lab's server for every check of a file, as `useFakeTenant()` gives the tenant
 * alone: `const { tenant, server } = useLabServer({ logLines })`, then `server()` inside a check.
 */
export function useLabServer(options: LabServerOptions | (() => Promise<LabServerOptions>) = {}) {
  return useServerFor(startLabServer, options);
}

/**
 * For a check file: the fake tenant starts, then the server `start` makes (lab 03's or lab 04's); after the
 * file's last check the server closes, then the tenant. Options the target must make first (a store) come
 * from a function, called once the tenant runs.
 */
export function useServerFor<Options, Server extends { close(): Promise<void> }>(
  start: (tenant: () => FakeTenant, options: Options) => Promise<Server>,
  options: Options | (() => Promise<Options>),
): { tenant(): FakeTenant; server(): Server } {
  const { tenant } = useFakeTenant(CHECK_TENANT);
  let running: Server | undefined;
  beforeAll(async () => {
    running = await start(tenant, typeof options === 'function' ? await (options as () => Promise<Options>)() : options);
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    tenant,
    server() {
      if (!running) throw new Error('useLabServer(): the server starts in beforeAll; use server() inside a check or hook.');
      return running;
    },
  };
}

/** A server log that keeps each event as one line of text, for checks that read what was logged. */
export function collectLog(lines: string[]) {
  const write = (level: string) => (fields: object, message: string) => void lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** An MCP client's OAuth memory, as the MCP Inspector keeps it: registration, PKCE verifier, tokens. */
export class MemoryClientProvider extends MemoryOAuthClient {
  constructor(redirectUrl = CLIENT_REDIRECT) {
    super(redirectUrl, 'lab 03 check');
  }
}

/** A GET with the browser's redirect left to the caller. */
export const hop = (url: URL | string) => fetch(url, { redirect: 'manual' });

export function location(response: Response): URL {
  expect(response.status, `a redirect (302), not ${response.status}`).toBe(302);
  return new URL(response.headers.get('location')!);
}

/** The MCP client starts: auth() registers it and picks the server's /authorize URL. */
export async function startSignIn(server: RunningServer, provider = new MemoryClientProvider()) {
  expect(await auth(provider, { serverUrl: server.mcpUrl }), 'auth() sends the user to sign in').toBe('REDIRECT');
  return { provider, authorizeUrl: provider.authorizationUrl! };
}

/** The browser opens /authorize, is sent to Entra, and the person signs in: the URL Entra sends them back to. */
export async function signInAtEntra(tenant: () => FakeTenant, authorizeUrl: URL, user: string): Promise<URL> {
  const entraUrl = location(await hop(authorizeUrl));
  return tenant().signIn(entraUrl.href, user, { consent: true });
}

/** The whole sign-in for `user`: the client ends with session tokens. */
export async function signIn(tenant: () => FakeTenant, server: RunningServer, user: string): Promise<MemoryClientProvider> {
  const { provider, authorizeUrl } = await startSignIn(server);
  const callback = await signInAtEntra(tenant, authorizeUrl, user);
  const back = location(await hop(callback));
  expect(back.searchParams.get('state'), 'the client gets its own state back').toBe(provider.lastState);
  const code = back.searchParams.get('code');
  expect(code, `the client's redirect carries a code (it carried ${back.searchParams.get('error') ?? 'none'})`).toBeTruthy();
  expect(await auth(provider, { serverUrl: server.mcpUrl, authorizationCode: code! }), 'the server redeems the code it issued: the MCP client is signed in (AUTHORIZED)').toBe('AUTHORIZED');
  return provider;
}

/** An MCP client connected to the server with the provider's tokens (and the transport's other options, a `fetch` say). */
export async function connect(
  server: Pick<RunningServer, 'mcpUrl'>,
  provider: OAuthClientProvider,
  options: Omit<StreamableHTTPClientTransportOptions, 'authProvider'> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'lab 03 check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(server.mcpUrl, { ...options, authProvider: provider });
  await client.connect(transport);
  return { client, transport };
}

/** The tool's answer: its text, and the whole result as JSON (`raw`: content and structuredContent). */
export async function userDetails(client: Client): Promise<{ isError?: boolean; text: string; raw: string }> {
  const result = (await client.callTool({ name: 'getUserDetails', arguments: {} })) as { isError?: boolean; content: Array<{ text?: string }> };
  return { isError: result.isError, text: result.content.map((part) => part.text ?? '').join(''), raw: JSON.stringify(result) };
}

/** POST /mcp with a bearer token (or none) and an initialize request. */
export function initializeWith(server: RunningServer, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
}

/** POST to /token with a form, as a client would. */
export function tokenRequest(server: RunningServer, fields: Record<string, string>): Promise<Response> {
  return fetch(new URL('/token', server.baseUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}
