// The whole story with whichever tenant the mode gives: the MCP SDK's OAuth client finds Entra through
// your server's metadata, a person signs in at Entra in a browser, and `whoami` answers with their
// profile, read from Graph on their behalf. In mock mode the fake tenant plays the person (Megan); in
// live mode you sign in yourself (WORKBOOK_INTERACTIVE=1).
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { currentMode } from '#shared/settings.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { catchRedirect, tellPerson, usePerson, type RedirectCatcher } from '#shared/workbook/person.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { rejectionOf, settings, startServer, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';

type ClientModule = typeof import('../../labs/05-resource-server/src/mcp-client.ts');
const mock = currentMode() === 'mock';
const fake = mock ? useFakeTenant(TENANT_OPTIONS) : undefined;
usePerson();
const check = checksFor(lab);
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let catcher: RedirectCatcher | undefined;
afterAll(async () => {
  await catcher?.close();
  await server?.close();
});

check('05.5.2', async () => {
  server = await startServer();
  catcher = await catchRedirect();
  const { mcpClientId, server: api } = settings();
  const { EntraOAuthClientProvider } = await importTarget<ClientModule>(lab, 'src/mcp-client.ts');
  let authorizeUrl: URL | undefined;
  const provider = new EntraOAuthClientProvider({
    clientId: mcpClientId,
    applicationIdUri: `api://${api.clientId}`,
    redirectUrl: catcher.redirectUri,
    openBrowser: (url) => void (authorizeUrl = url),
  });
  expect(await rejectionOf(auth(provider, { serverUrl: server.url })), 'auth() finds Entra through your metadata without error').toBeUndefined();
  expect(authorizeUrl, 'and sends the person to sign in').toBeDefined();

  if (fake) await fetch(await fake.tenant().signIn(authorizeUrl!.href, 'megan@contoso.onmicrosoft.com')); // the browser lands on the loopback listener
  else tellPerson(['Open this URL in your browser and sign in as a user of your tenant:', authorizeUrl!.href]);
  const arrived = await catcher.arrival;
  expect(arrived.searchParams.get('state'), 'the client gets its own state back').toBe(authorizeUrl!.searchParams.get('state'));
  const code = arrived.searchParams.get('code');
  expect(code, `the browser brought back a code (Entra said: ${arrived.searchParams.get('error_description') ?? 'nothing'})`).toBeTruthy();
  expect(await auth(provider, { serverUrl: server.url, authorizationCode: code! }), 'the code is redeemed (with the PKCE verifier)').toBe('AUTHORIZED');

  const client = new Client({ name: 'check', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
  try {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    const text = (result.content as Array<{ text?: string }>).map((part) => part.text).join(' ');
    expect(result.isError, `whoami answers (it said: ${text}; the server logged: ${server.logs.map((entry) => JSON.stringify(entry)).join(' | ')})`).toBeFalsy();
    const signedIn = decodeJwt(provider.tokens()!.access_token).oid;
    expect((result.structuredContent as { id?: string }).id, 'the profile is of the person who signed in').toBe(signedIn);
    if (fake) expect(signedIn, 'in mock mode, Megan').toBe(USERS.megan);
  } finally {
    await client.close();
  }
});
