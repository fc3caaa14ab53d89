// Step 05.4: the server over HTTP: the metadata it serves, the challenges it answers with, and a
// stateless endpoint that serves several users at once, each as themselves.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { FULL_SCOPE, ISSUER, postMcp, startServer, userToken, WELL_FORMED_CHALLENGE } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);
const ADELE = 'adele@contoso.onmicrosoft.com';

check('05.4.1', async () => {
  const server = await startServer();
  try {
    const metadataUrl = `${server.url.origin}/.well-known/oauth-protected-resource/mcp`;
    const response = await fetch(metadataUrl);
    expect(response.status, 'the metadata is at the path-specific well-known URL of /mcp').toBe(200);
    expect(await response.json(), 'the metadata names this server\'s URL, the Entra issuer and the full scope').toMatchObject({
      resource: server.url.href,
      authorization_servers: [ISSUER],
      scopes_supported: [FULL_SCOPE],
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
    expect(server.logs.filter((line) => /refused/i.test(line)), 'the server logged each refusal').toHaveLength(3);

    for (const [what, token] of [
      ['a token for another scope of the API', await userToken(tenant(), ADELE, { scp: 'other.scope' })],
      ['an app-only token (roles, no scp)', await userToken(tenant(), ADELE, { scp: undefined, roles: ['MCP.Admin'], idtyp: 'app' })],
    ] as const) {
      const response = await postMcp(server.url, token);
      expect(response.status, `${what}: 403`).toBe(403);
      expect(response.headers.get('www-authenticate'), `${what}: insufficient_scope, naming the scope to ask for`).toMatch(
        new RegExp(`^Bearer error="insufficient_scope", .*scope="${FULL_SCOPE}"`),
      );
    }
    const ok = await postMcp(server.url, await userToken(tenant(), ADELE));
    expect(ok.status, 'a good token: the MCP request is served').toBe(200);
  } finally {
    await server.close();
  }
});

check('05.4.3', async () => {
  const server = await startServer();
  try {
    const first = await postMcp(server.url, await userToken(tenant(), ADELE));
    expect(first.status).toBe(200);
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
  } finally {
    await server.close();
  }
});
