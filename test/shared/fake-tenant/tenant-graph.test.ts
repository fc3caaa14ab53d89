// The whole fake, end to end, as the labs use it: the real msal-node gets tokens from the fake Entra,
// and the real Graph client spends them at the fake Graph, all through one tenant behind msw.
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, test } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

const fake = useFakeTenant({ deviceCodeIntervalSeconds: 1 });
const AUTHORITY = `https://login.microsoftonline.com/${TENANT_ID}`;
const crypto = new CryptoProvider();

const graphClient = (token: string) => Client.initWithMiddleware({ authProvider: { getAccessToken: async () => token } });
const graphCalls = () => fake.tenant().log.count((entry) => entry.host === 'graph.microsoft.com');

/** A public client signs `user` in with auth code + PKCE and returns its access token. */
async function signInWithPublicClient(clientId: string, scopes: string[], user: string): Promise<string> {
  const msal = new PublicClientApplication({ auth: { clientId, authority: AUTHORITY } });
  const pkce = await crypto.generatePkceCodes();
  const redirectUri = 'http://localhost:51234';
  const url = await msal.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
  const code = (await fake.tenant().signIn(url, user)).searchParams.get('code')!;
  return (await msal.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier })).accessToken;
}

describe('Entra tokens spent at Graph', () => {
  test.each([
    ['Megan', USERS.megan, 'Megan Bowen'],
    ['Alex', USERS.alex, 'Alex Wilber'],
  ])('%s signs in (device code) and Graph /me returns her or his own profile', async (_name, oid, displayName) => {
    const msal = new PublicClientApplication({ auth: { clientId: APPS.localClient, authority: AUTHORITY } });
    const result = await msal.acquireTokenByDeviceCode({
      scopes: ['User.Read'],
      deviceCodeCallback: ({ userCode }) => fake.tenant().approveDeviceCode(userCode, oid),
    });
    const me = await graphClient(result!.accessToken).api('/me').select(['id', 'displayName', 'userPrincipalName']).get();
    expect(me).toMatchObject({ id: oid, displayName });
    expect(me).not.toHaveProperty('password');
  });

  test('on-behalf-of: the server turns a token for itself into a Graph token for the same user', async () => {
    const forServer = await signInWithPublicClient(APPS.mcpClient, [`api://${APPS.remoteServer}/mcp.tools`], USERS.adele);
    // A token for the server is not a Graph token: Graph refuses it (the confused deputy's first lesson).
    const refused = await graphClient(forServer).api('/me').get().catch((error: GraphError) => error);
    expect(refused).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });

    const server = new ConfidentialClientApplication({ auth: { clientId: APPS.remoteServer, clientSecret: REMOTE_SERVER_SECRET, authority: AUTHORITY } });
    const obo = await server.acquireTokenOnBehalfOf({ oboAssertion: forServer, scopes: ['https://graph.microsoft.com/User.Read'] });
    const me = await graphClient(obo!.accessToken).api('/me').get();
    expect(me.userPrincipalName).toBe('adele@contoso.onmicrosoft.com');
  });

  test('throttling: the Graph client retries an injected 429 after Retry-After and succeeds', async () => {
    const token = await signInWithPublicClient(APPS.localClient, ['User.Read'], USERS.megan);
    fake.tenant().faults.throttleGraph(1, 1);
    const before = graphCalls();
    const started = performance.now();
    const me = await graphClient(token).api('/me').get();
    expect(me.displayName).toBe('Megan Bowen');
    expect(graphCalls() - before).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('an app created through Graph can sign in with the secret Graph gave it', async () => {
    const admin = await signInWithPublicClient(APPS.registrar, ['https://graph.microsoft.com/Application.ReadWrite.All'], USERS.adele);
    const graph = graphClient(admin);
    const app = await graph.api('/applications').post({ displayName: 'Created in a check', signInAudience: 'AzureADMyOrg' });
    await graph.api('/servicePrincipals').post({ appId: app.appId });
    const { secretText } = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'check' } });
    const found = await graph.api('/applications').filter(`displayName eq 'Created in a check'`).get();
    expect(found.value.map((candidate: { appId: string }) => candidate.appId)).toEqual([app.appId]);

    const created = new ConfidentialClientApplication({ auth: { clientId: app.appId, clientSecret: secretText, authority: AUTHORITY } });
    const token = await created.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(token?.accessToken).toBeTruthy();
    // The secret itself is stored nowhere in the tenant, only its hash.
    expect(JSON.stringify(fake.tenant().model)).not.toContain(secretText);
  });
});
