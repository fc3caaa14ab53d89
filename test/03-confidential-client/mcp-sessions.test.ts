// Step 03.4: /mcp is behind the bearer check, and an MCP session belongs to the user who opened it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { connect, initializeWith, requireSteps, signIn, startLabServer, userDetails, type RunningServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);
let server: RunningServer;

beforeAll(async () => {
  server = await startLabServer(tenant);
});
afterAll(() => server?.close());
afterEach(() => {
  vi.useRealTimers();
});

check('03.4.1', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4');
  const response = await initializeWith(server);
  expect(response.status, 'POST /mcp without a token: 401 (serve /mcp behind requireBearerAuth)').toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  const metadataUrl = `${server.baseUrl}/.well-known/oauth-protected-resource/mcp`;
  expect(challenge, 'a Bearer challenge').toMatch(/^Bearer /);
  expect(challenge, 'pointing to the protected-resource metadata').toContain(`resource_metadata="${metadataUrl}"`);
  expect(challenge, 'naming the scope to ask for').toContain('scope="mcp.tools"');

  const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
  expect(metadata, 'the metadata names /mcp as the resource and this server as its authorization server').toMatchObject({
    resource: server.mcpUrl.href,
    authorization_servers: [`${server.baseUrl}/`],
  });

  const madeUp = await initializeWith(server, 'not-a-token');
  expect(madeUp.status, 'a made-up token: 401, not a 500 (verifyAccessToken throws InvalidTokenError)').toBe(401);
  expect(madeUp.headers.get('www-authenticate'), 'error="invalid_token"').toMatch(/^Bearer error="invalid_token", error_description="[^"]*"/);

  const provider = await signIn(tenant, server, USERS.megan);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
  expect((await initializeWith(server, provider.saved!.access_token)).status, 'an expired session token: 401').toBe(401);
  vi.useRealTimers();

  const malformed = await fetch(server.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":' });
  expect(malformed.status, 'malformed JSON: 400').toBe(400);
  expect(malformed.headers.get('content-type'), 'answered in JSON, not an HTML page with a stack trace').toMatch(/json/);
});

check('03.4.2', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const adele = await signIn(tenant, server, USERS.adele);
  const megan = await signIn(tenant, server, USERS.megan);
  const { client: adeleClient, transport } = await connect(server, adele);
  const { client: meganClient } = await connect(server, megan);
  const adeleSession = transport.sessionId!;

  const call = (token: string | undefined, sessionId: string) =>
    fetch(server.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'getUserDetails', arguments: {} } }),
    });
  const hijack = await call(megan.saved!.access_token, adeleSession);
  expect(hijack.status, "Megan's valid token with Adele's session id: refused (404, as an unknown session)").toBe(404);
  expect(await hijack.text(), "and nothing of Adele's profile").not.toContain('Adele');
  expect((await call(undefined, adeleSession)).status, 'a session id alone is no authentication: 401').toBe(401);

  expect(JSON.parse((await userDetails(adeleClient)).text).displayName, "Adele's session still answers Adele").toBe('Adele Vance');
  expect(JSON.parse((await userDetails(meganClient)).text).displayName, 'and Megan gets her own profile').toBe('Megan Bowen');
  await Promise.all([adeleClient.close(), meganClient.close()]);
});

check('03.4.3', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const sseUrl = new URL('/sse', server.baseUrl);
  const noToken = await fetch(sseUrl, { headers: { accept: 'text/event-stream' } });
  expect(noToken.status, 'GET /sse without a token: 401').toBe(401);
  expect(noToken.headers.get('www-authenticate'), 'with the same challenge as /mcp').toContain('resource_metadata=');

  const adele = await signIn(tenant, server, USERS.adele);
  const megan = await signIn(tenant, server, USERS.megan);
  const client = new Client({ name: 'legacy client', version: '1.0.0' });
  const transport = new SSEClientTransport(sseUrl, { authProvider: adele });
  await client.connect(transport);
  expect(JSON.parse((await userDetails(client)).text).displayName, 'an old client over /sse gets its user\'s profile').toBe('Adele Vance');

  await client.close();

  // Adele's own stream, opened by hand, names her session's message URL in its first event.
  const stream = await fetch(sseUrl, { headers: { accept: 'text/event-stream', authorization: `Bearer ${adele.saved!.access_token}` } });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  let events = '';
  while (!/data: (.+)\n/.test(events)) events += (await reader.read()).value ?? '';
  const messages = new URL(/data: (.+)\n/.exec(events)![1]!, server.baseUrl);
  const post = (token?: string) =>
    fetch(messages, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'getUserDetails', arguments: {} } }),
    });
  expect((await post()).status, "POST /messages with Adele's session id and no token: 401").toBe(401);
  expect((await post(megan.saved!.access_token)).status, "with Megan's token: 404, as an unknown session").toBe(404);
  await reader.cancel();
});
