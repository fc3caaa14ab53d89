// Step 05.5: the MCP SDK's own OAuth client against the server and the fake Entra: discovery from the
// 401 and the metadata, a pre-registered client ID, PKCE, a person signing in, and the `resource`
// named the way Entra accepts. Without that last part, Entra refuses the sign-in (AADSTS9010010).
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { FULL_SCOPE, rejectionOf, startServer, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';

type ClientModule = typeof import('../../labs/05-resource-server/src/mcp-client.ts');
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
const APPLICATION_ID_URI = `api://${APPS.remoteServer}`;

async function provider() {
  const { EntraOAuthClientProvider } = await importTarget<ClientModule>(lab, 'src/mcp-client.ts');
  const sent: URL[] = [];
  const created = new EntraOAuthClientProvider({
    clientId: APPS.mcpClient,
    applicationIdUri: APPLICATION_ID_URI,
    redirectUrl: 'http://localhost:8400/',
    openBrowser: (url) => void sent.push(url),
  });
  return { provider: created, sent };
}

check('05.5.1', async () => {
  const server = await startServer();
  try {
    // The SDK's default: resource = the server's URL. Entra refuses it.
    const { provider: entraProvider, sent: plainSent } = await provider();
    const sdkDefault = Object.assign(Object.create(entraProvider) as typeof entraProvider, { validateResourceURL: undefined });
    expect(await auth(sdkDefault, { serverUrl: server.url }), "the SDK's own auth() starts a sign-in (REDIRECT)").toBe('REDIRECT');
    expect(plainSent[0]?.searchParams.get('resource'), 'the SDK alone sends the server URL as resource').toBe(server.url.href);
    const refused = await tenant().signIn(plainSent[0]!.href, 'adele@contoso.onmicrosoft.com');
    expect(refused.searchParams.get('error_description'), 'which Entra refuses').toMatch(/^AADSTS9010010/);

    for (const upn of ['megan@contoso.onmicrosoft.com', 'alex@contoso.onmicrosoft.com']) {
      const { provider: entra, sent } = await provider();
      const failure = await rejectionOf(auth(entra, { serverUrl: server.url }));
      expect(failure, 'auth() runs without error').toBeUndefined();
      expect(entra.tokens(), 'no token yet: the person must sign in first').toBeUndefined();
      expect(sent.length, 'auth() discovers Entra through the metadata and sends the person to sign in').toBe(1);
      const authorize = sent[0]!;
      expect(Object.fromEntries(authorize.searchParams), 'the authorization request').toMatchObject({
        client_id: APPS.mcpClient, // pre-registered: no dynamic registration
        code_challenge_method: 'S256',
        scope: FULL_SCOPE,
        resource: APPLICATION_ID_URI,
      });
      expect(tenant().log.count((entry) => entry.path.includes('/register')), 'no dynamic registration attempted').toBe(0);

      const callback = await tenant().signIn(authorize.href, upn);
      const code = callback.searchParams.get('code');
      expect(code, `${upn} signed in and the browser came back with a code`).toBeTruthy();
      expect(await auth(entra, { serverUrl: server.url, authorizationCode: code! }), 'the code is redeemed (with the PKCE verifier)').toBe('AUTHORIZED');

      const client = new Client({ name: 'check', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: entra }));
      try {
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(result.structuredContent, `the tool answers as ${upn}`).toMatchObject({ userPrincipalName: upn });
      } finally {
        await client.close();
      }
    }

    const { provider: careful } = await provider();
    expect(await rejectionOf(careful.validateResourceURL!(server.url, 'https://attacker.example/mcp')), 'metadata naming another resource is refused (validateResourceURL throws)').toBeInstanceOf(Error);
  } finally {
    await server.close();
  }
});
