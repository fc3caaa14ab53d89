// Step 03.4: /mcp is behind the bearer check, and an MCP session belongs to the user who opened it.
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterEach, expect, vi } from 'vitest';
import { TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { connect, initializeWith, MemoryClientProvider, requireSteps, signIn, useLabServer, userDetails } from './helpers.ts';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import lab from './lab.ts';

const { tenant, server } = useLabServer();
const check = checksFor(lab);
afterEach(() => {
  vi.useRealTimers();
});

check('03.4.1', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4');
  const response = await initializeWith(server());
  expect(response.status, 'POST /mcp without a token: 401 (serve /mcp behind requireBearerAuth)').toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  const metadataUrl = `${server().baseUrl}/.well-known/oauth-protected-resource`;
  expect(challenge, 'a Bearer challenge').toMatch(/^Bearer /);
  expect(challenge, 'pointing to the protected-resource metadata').toContain(`resource_metadata="${metadataUrl}"`);
  expect(challenge, 'naming the scope to ask for').toContain('scope="mcp.tools"');

  const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
  expect(metadata, 'the metadata names this server (its origin) as the resource, and as its authorization server').toMatchObject({
    resource: `${server().baseUrl}/`,
    authorization_servers: [`${server().baseUrl}/`],
  });

  const madeUp = await initializeWith(server(), 'not-a-token');
  expect(madeUp.status, 'a made-up token: 401, not a 500 (verifyAccessToken throws InvalidTokenError)').toBe(401);
  expect(madeUp.headers.get('www-authenticate'), 'error="invalid_token"').toMatch(/^Bearer error="invalid_token", error_description="[^"]*"/);

  // A live session token without the mcp.tools scope (one issued for something else): 403, not served.
  const { hashSecret } = await importTarget<typeof import('../../labs/03-confidential-client/src/secrets.ts')>(lab, 'src/secrets.ts');
  const now = Math.floor(Date.now() / 1000);
  const unscoped = `unscoped-${randomUUID()}`;
  await server().store.saveSession({
    id: randomUUID(), clientId: 'another-client', scopes: ['profile.read'], resource: `${server().baseUrl}/`,
    user: { oid: USERS.megan, homeAccountId: `${USERS.megan}.${TENANT_ID}` },
    accessTokenHash: hashSecret(unscoped), accessExpiresAt: now + 3600, refreshTokenHash: hashSecret(`${unscoped}-refresh`), refreshExpiresAt: now + 3600,
  });
  const forbidden = await initializeWith(server(), unscoped);
  expect(forbidden.status, 'a session token without the mcp.tools scope: 403 (requireBearerAuth with requiredScopes: [MCP_SCOPE])').toBe(403);
  expect(forbidden.headers.get('www-authenticate'), 'error="insufficient_scope"').toContain('error="insufficient_scope"');

  const provider = await signIn(tenant, server(), USERS.megan);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
  expect((await initializeWith(server(), provider.saved!.access_token)).status, 'an expired session token: 401').toBe(401);
  vi.useRealTimers();

  const malformed = await fetch(server().mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":' });
  expect(malformed.status, 'malformed JSON: 400').toBe(400);
  expect(malformed.headers.get('content-type'), 'answered in JSON, not an HTML page with a stack trace').toMatch(/json/);
});

check('03.4.2', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const adele = await signIn(tenant, server(), USERS.adele);
  const megan = await signIn(tenant, server(), USERS.megan);
  const { client: adeleClient, transport } = await connect(server(), adele);
  const { client: meganClient } = await connect(server(), megan);
  const adeleSession = transport.sessionId!;

  const call = (token: string | undefined, sessionId: string) =>
    fetch(server().mcpUrl, {
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
  const ended = await fetch(server().mcpUrl, {
    method: 'DELETE',
    headers: { 'mcp-session-id': adeleSession, 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${megan.saved!.access_token}` },
  });
  expect(ended.status, "Megan's token cannot end Adele's session either (DELETE: 404, as an unknown session)").toBe(404);

  expect(JSON.parse((await userDetails(adeleClient)).text).displayName, "Adele's session still answers Adele").toBe('Adele Vance');
  expect(JSON.parse((await userDetails(meganClient)).text).displayName, 'and Megan gets her own profile').toBe('Megan Bowen');
  await Promise.all([adeleClient.close(), meganClient.close()]);
});

check('03.4.3', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const sseUrl = new URL('/sse', server().baseUrl);
  const noToken = await fetch(sseUrl, { headers: { accept: 'text/event-stream' } });
  expect(noToken.status, 'GET /sse without a token: 401').toBe(401);
  expect(noToken.headers.get('www-authenticate'), 'with the same challenge as /mcp').toContain('resource_metadata=');

  const adele = await signIn(tenant, server(), USERS.adele);
  const megan = await signIn(tenant, server(), USERS.megan);
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
  const messages = new URL(/data: (.+)\n/.exec(events)![1]!, server().baseUrl);
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

check('03.4.4', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  // An old client knows only the /sse URL: its OAuth code must get from that URL's 401 to a sign-in.
  const sseUrl = new URL('/sse', server().baseUrl);
  const challenge = (await fetch(sseUrl, { headers: { accept: 'text/event-stream' } })).headers.get('www-authenticate') ?? '';
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
  expect(metadataUrl, 'the 401 of GET /sse names the protected-resource metadata').toBeDefined();
  const metadata = (await (await fetch(metadataUrl!)).json()) as { resource: string };
  expect(sseUrl.href.startsWith(metadata.resource), `the metadata's resource (${metadata.resource}) covers ${sseUrl.href}: a client refuses metadata for another resource`).toBe(true);

  const provider = new MemoryClientProvider();
  const started = await auth(provider, { serverUrl: sseUrl }).catch((error: Error) => error.message);
  expect(started, "the SDK's auth() for the /sse URL gets as far as the sign-in (it stops with 'resource does not match' when the metadata is for /mcp only)").toBe('REDIRECT');
  const client = new Client({ name: 'legacy client', version: '1.0.0' });
  await client.connect(new SSEClientTransport(sseUrl, { authProvider: await signIn(tenant, server(), USERS.alex) }));
  expect(JSON.parse((await userDetails(client)).text).displayName, 'and once signed in, /sse serves the tool').toBe('Alex Wilber');
  await client.close();
});

check('03.4.5', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const post = (token: string, sessionId: string) =>
    fetch(server().mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} }),
    });

  // Revoked: Adele revokes her session token. Her MCP session must close with it, not wait for her next
  // sign-in to pick it up again (the session is bound to her oid, and she will sign in again).
  const first = await signIn(tenant, server(), USERS.adele);
  const { transport } = await connect(server(), first);
  const revoked = transport.sessionId!;
  expect((await post(first.saved!.access_token, revoked)).status, 'the MCP session answers while the sign-in lives').toBe(200);
  await fetch(new URL('/revoke', server().baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: first.saved!.access_token, client_id: first.client!.client_id }),
  });
  const again = await signIn(tenant, server(), USERS.adele);
  expect((await post(again.saved!.access_token, revoked)).status, 'after the revocation, the MCP session opened under it is gone (404), even for a new sign-in of the same user').toBe(404);

  // Idle: nobody uses Megan's MCP session for 31 minutes; the next session anyone opens sweeps it away.
  const megan = await signIn(tenant, server(), USERS.megan);
  const opened = await initializeWith(server(), megan.saved!.access_token); // a session and nothing more: no event stream kept open
  const idle = opened.headers.get('mcp-session-id')!;
  await opened.body?.cancel();
  expect((await post(megan.saved!.access_token, idle)).status, "Megan's new MCP session answers").toBe(200);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 31 * 60 * 1000);
  await connect(server(), again);
  expect((await post(megan.saved!.access_token, idle)).status, 'an MCP session idle for 31 minutes has been closed (404): each one holds a transport and a server in memory').toBe(404);
  vi.useRealTimers();

  // Too many: a user who opens session after session pushes out their own oldest, not the server's memory.
  const alex = (await signIn(tenant, server(), USERS.alex)).saved!.access_token;
  const opens: string[] = [];
  for (let i = 0; i <= 20; i++) {
    const response = await initializeWith(server(), alex);
    opens.push(response.headers.get('mcp-session-id')!);
    await response.body?.cancel();
  }
  expect((await post(alex, opens[0]!)).status, "the 21st MCP session of one user closes that user's oldest (404): at most 20 each").toBe(404);
  expect((await post(alex, opens[20]!)).status, 'and the newest answers').toBe(200);
});
