// Step 05.4: the server over HTTP: the metadata it serves, the challenges it answers with, a
// stateless endpoint that serves several users at once, each as themselves, and no answer at all to a
// page of another website (the Origin check against DNS rebinding).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { eventsNamed, FULL_SCOPE, ISSUER, postMcp, startServer, TENANT_OPTIONS, userToken, WELL_FORMED_CHALLENGE } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);

/** The status of a request, or 'no answer within 5 s' (a GET handed to the transport would open a stream and wait). */
async function statusOf(url: URL, method: string, headers: Record<string, string>): Promise<number | string> {
  try {
    const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 'no answer within 5 s';
  }
}
const check = checksFor(lab);
const ADELE = 'adele@contoso.onmicrosoft.com';

check('05.4.1', async () => {
  const server = await startServer();
  try {
    const metadataUrl = `${server.url.origin}/.well-known/oauth-protected-resource/mcp`;
    const response = await fetch(metadataUrl);
    expect(response.status, 'the metadata is at the path-specific well-known URL of /mcp').toBe(200);
    expect(response.headers.get('access-control-allow-origin'), 'the metadata is public and browser-based clients read it: serve it with Access-Control-Allow-Origin: * (step 4.1)').toBe('*');
    expect(await response.json(), 'the metadata names this server\'s URL, the Entra issuer and the full scope').toMatchObject({
      resource: server.url.href,
      authorization_servers: [ISSUER],
      scopes_supported: [FULL_SCOPE],
      bearer_methods_supported: ['header'],
    });

    const unauthenticated = await postMcp(server.url);
    expect(unauthenticated.status, 'no token: 401').toBe(401);
    expect(unauthenticated.headers.get('www-authenticate'), 'the challenge names the scope (in full) and where the metadata is').toBe(
      `Bearer error="invalid_token", error_description="Missing Authorization header", scope="${FULL_SCOPE}", resource_metadata="${metadataUrl}"`,
    );
    expect(tenant().log.count('token'), 'a 401 costs Entra nothing').toBe(0);
  } finally {
    await server.close();
  }
});

check('05.4.2', async () => {
  const server = await startServer();
  try {
    const now = Math.floor(Date.now() / 1000);
    for (const [what, token] of [
      ['an expired token', await userToken(tenant(), ADELE, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 })],
      ['a token for another API', await userToken(tenant(), ADELE, { aud: APPS.localClient })],
      ['a malformed token', 'not-a-jwt'],
    ] as const) {
      const response = await postMcp(server.url, token);
      expect(response.status, `${what}: 401`).toBe(401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge, `${what}: a well-formed challenge (no quotes inside the values)`).toMatch(WELL_FORMED_CHALLENGE);
      expect(challenge, `${what}: invalid_token, with the metadata URL`).toMatch(/^Bearer error="invalid_token", .*resource_metadata="http/);
    }
    expect(eventsNamed(server.logs, 'token_refused'), 'the server logged each refusal (a token_refused event, step 2)').toHaveLength(3);

    for (const [what, token] of [
      ['a token for another scope of the API', await userToken(tenant(), ADELE, { scp: 'other.scope' })],
      ['an app-only token (roles, no scp)', await userToken(tenant(), ADELE, { scp: undefined, roles: ['MCP.Admin'], idtyp: 'app' })],
      ['an app-only token with an app role named like the scope (roles: [\'mcp.tools\'], no scp)', await userToken(tenant(), ADELE, { scp: undefined, roles: ['mcp.tools'], idtyp: 'app' })],
    ] as const) {
      const response = await postMcp(server.url, token);
      expect(response.status, `${what}: 403`).toBe(403);
      expect(response.headers.get('www-authenticate'), `${what}: insufficient_scope, naming the scope to ask for`).toMatch(
        new RegExp(`^Bearer error="insufficient_scope", .*scope="${FULL_SCOPE}"`),
      );
    }
    const ok = await postMcp(server.url, await userToken(tenant(), ADELE));
    expect(ok.status, 'a good token: the MCP request is served').toBe(200);

    const malformed = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${await userToken(tenant(), ADELE)}` },
      body: '{"jsonrpc": "2.0", ',
    });
    const text = await malformed.text();
    expect(malformed.status, 'a malformed JSON body: 400').toBe(400);
    expect(malformed.headers.get('content-type') ?? '', `a malformed JSON body gets a JSON error, never Express's HTML page with a stack trace (the JSON error handler in src/server.ts): got ${text.slice(0, 120)}`).toMatch(/^application\/json/);
    expect(text, 'the answer to a malformed body holds no stack trace and no file path').not.toMatch(/\bat \S+ \(|node_modules|<pre>/);
  } finally {
    await server.close();
  }
});

check('05.4.3', async () => {
  const server = await startServer();
  try {
    const first = await postMcp(server.url, await userToken(tenant(), ADELE));
    expect(first.status, 'a valid token gets an answer (200)').toBe(200);
    expect(first.headers.get('mcp-session-id'), 'stateless: no session id is handed out').toBeNull();

    const users = ['adele', 'megan', 'alex'].map((name) => `${name}@contoso.onmicrosoft.com`);
    const answers = await Promise.all(
      users.map(async (upn) => {
        const token = await userToken(tenant(), upn);
        const client = new Client({ name: 'check', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
        try {
          const calls = await Promise.all([1, 2].map(() => client.callTool({ name: 'whoami', arguments: {} })));
          return calls.map((result) => result.structuredContent as { userPrincipalName?: string } | undefined);
        } finally {
          await client.close();
        }
      }),
    );
    answers.forEach((calls, index) => {
      for (const profile of calls) expect(profile?.userPrincipalName, 'each caller is answered as themselves').toBe(users[index]);
    });
    expect(tenant().log.count('graph:/me'), 'Graph was asked once per tool call').toBe(6);

    const token = await userToken(tenant(), ADELE);
    for (const method of ['GET', 'DELETE']) {
      const status = await statusOf(server.url, method, { authorization: `Bearer ${token}`, accept: 'application/json, text/event-stream' });
      expect(status, `${method} /mcp with a good token: 405, as a stateless endpoint has no stream to open and no session to end (answer it yourself, do not hand it to the transport)`).toBe(405);
    }
  } finally {
    await server.close();
  }
});

check('05.4.4', async () => {
  const ALLOWED = 'https://app.contoso.com';
  const server = await startServer({ allowedOrigins: [ALLOWED] });
  try {
    const token = await userToken(tenant(), ADELE);
    const own = server.url.origin; // http://127.0.0.1:{port}
    const where = 'see refuseForeignOrigins and where createApp mounts it in src/server.ts';
    for (const [what, origin] of [
      ['another website', 'https://evil.example'],
      ['a sandboxed page or a local file', 'null'],
      ['the same host on another port (another local app)', 'http://127.0.0.1:1'],
      ['the same host and port over https', own.replace(/^http:/, 'https:')],
      ["a look-alike that starts with the server's origin", `${own}.evil.example`],
      ['a look-alike that starts with an allowed origin', `${ALLOWED}.evil.example`],
      ['a malformed value', 'http://[::1'],
    ]) {
      const response = await postMcp(server.url, token, { origin });
      expect(response.status, `POST with a good token and Origin: ${origin} (${what}): expected 403, the page must not reach the MCP server (${where})`).toBe(403);
      expect(response.headers.get('access-control-allow-origin'), `Origin: ${origin}: no Access-Control-Allow-Origin on /mcp (never * for /mcp: the metadata alone is public)`).toBeNull();
      const body: unknown = await response.json().catch(() => 'not JSON');
      expect(body, `Origin: ${origin}: the 403 carries a JSON-RPC error, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }`).toMatchObject({
        jsonrpc: '2.0',
        error: { code: -32000, message: expect.any(String) },
        id: null,
      });
    }

    for (const [what, headers] of [
      ['no Origin header (not a browser page: curl, an SDK client, a desktop app)', {}],
      ["the server's own origin", { origin: own }],
      ['an origin listed in allowedOrigins', { origin: ALLOWED }],
    ] as const) {
      const response = await postMcp(server.url, token, headers);
      expect(response.status, `${what}: the request is served (200), compare parsed origins with the allowed set, not any Origin at all`).toBe(200);
      expect(response.headers.get('access-control-allow-origin'), `${what}: no Access-Control-Allow-Origin: * on /mcp (this server sends no CORS headers for /mcp)`).not.toBe('*');
    }

    const before = server.logs.length;
    for (const [what, badToken] of [['no token', undefined], ['a malformed token', 'not-a-jwt']] as const) {
      const response = await postMcp(server.url, badToken, { origin: 'https://evil.example' });
      expect(response.status, `another website's page with ${what}: 403, not 401: the Origin check runs before requireBearerAuth`).toBe(403);
    }
    expect(server.logs.slice(before), 'a cross-site request never reaches the token verifier (nothing logged)').toEqual([]);

    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(server.url, { method, headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
      expect(response.status, `${method} /mcp from another website: 403 as well: the Origin check covers every method on /mcp (app.use, not app.post)`).toBe(403);
    }
  } finally {
    await server.close();
  }
});
