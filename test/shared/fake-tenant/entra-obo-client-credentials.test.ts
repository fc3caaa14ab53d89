// On-behalf-of and client credentials with the real msal-node ConfidentialClientApplication.
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { describe, expect, test } from 'vitest';
import { APPS, GRAPH_APP_ROLES, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { GRAPH_APP_ID } from '#shared/entra/microsoft-graph.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

const fake = useFakeTenant();
const AUTHORITY = `https://login.microsoftonline.com/${TENANT_ID}`;
const API_SCOPE = `api://${APPS.remoteServer}/mcp.tools`;
const crypto = new CryptoProvider();

const remoteServer = () =>
  new ConfidentialClientApplication({ auth: { clientId: APPS.remoteServer, clientSecret: REMOTE_SERVER_SECRET, authority: AUTHORITY } });

/** A public client (by default the MCP client, pre-authorized for the API) signs Adele in. */
async function userTokenFor(scopes: string[], clientId: string = APPS.mcpClient): Promise<string> {
  const msal = new PublicClientApplication({ auth: { clientId, authority: AUTHORITY } });
  const pkce = await crypto.generatePkceCodes();
  const redirectUri = 'http://localhost:45123'; // a loopback URI: Entra ignores the port
  const url = await msal.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
  const code = (await fake.tenant().signIn(url, USERS.adele)).searchParams.get('code')!;
  return (await msal.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier })).accessToken;
}

describe('on-behalf-of', () => {
  test('a user token for the API becomes a Graph token (v1, aud Graph) for the same user', async () => {
    const assertion = await userTokenFor([API_SCOPE]);
    expect(decodeJwt(assertion)).toMatchObject({ aud: APPS.remoteServer, azp: APPS.mcpClient, scp: 'mcp.tools' });
    const result = await remoteServer().acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['https://graph.microsoft.com/User.Read'] });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      ver: '1.0',
      appid: APPS.remoteServer,
      oid: USERS.adele,
      tid: TENANT_ID,
      upn: 'adele@contoso.onmicrosoft.com',
      unique_name: 'adele@contoso.onmicrosoft.com',
    });
    expect(String(claims.scp).split(' ')).toContain('User.Read');
    expect(fake.tenant().log.count((entry) => entry.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(1);
  });

  test('a token for another audience is refused with AADSTS50013, surfaced in msal\'s error', async () => {
    const graphToken = await userTokenFor(['User.Read'], APPS.localClient);
    const error = await remoteServer()
      .acquireTokenOnBehalfOf({ oboAssertion: graphToken, scopes: ['https://graph.microsoft.com/User.Read'] })
      .catch((failure: Error & { errorCode?: string }) => failure);
    expect(error).toBeInstanceOf(Error);
    expect((error as { errorCode?: string }).errorCode).toBe('invalid_grant');
    expect((error as Error).message).toMatch(/AADSTS50013: Assertion audience does not match/);
  });

  test('a downstream permission nobody consented to fails with AADSTS65001', async () => {
    const assertion = await userTokenFor([API_SCOPE]);
    const error = await remoteServer()
      .acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['https://graph.microsoft.com/User.ReadBasic.All'] })
      .catch((failure: Error) => failure);
    expect((error as Error).message).toMatch(/AADSTS65001/);
  });
});

describe('client credentials', () => {
  test('an app-only token carries the app roles granted to the app, and no scp', async () => {
    const tenant = fake.tenant();
    const principal = tenant.model.servicePrincipals.find((candidate) => candidate.appId === APPS.remoteServer)!;
    tenant.model.roleAssignments.push({ principalId: principal.id, resourceAppId: GRAPH_APP_ID, appRoleId: GRAPH_APP_ROLES['User.Read.All'] });

    const result = await remoteServer().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', appid: APPS.remoteServer, idtyp: 'app', oid: principal.id, sub: principal.id, roles: ['User.Read.All'] });
    expect(claims.scp).toBeUndefined();

    const again = await remoteServer().acquireTokenByClientCredential({ scopes: [`api://${APPS.remoteServer}/.default`] });
    expect(decodeJwt(again!.accessToken)).toMatchObject({ aud: APPS.remoteServer, ver: '2.0', azp: APPS.remoteServer, idtyp: 'app' });
  });

  test('a scope without /.default is refused with AADSTS1002012; a public client cannot use the grant', async () => {
    const response = await fetch(`${AUTHORITY}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APPS.remoteServer, client_secret: REMOTE_SERVER_SECRET, scope: 'User.Read' }),
    });
    expect(await response.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const publicClient = await fetch(`${AUTHORITY}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${APPS.localClient}:x`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }),
    });
    expect(publicClient.status).toBe(401);
    expect(await publicClient.json()).toMatchObject({ error: 'invalid_client', error_codes: [700025] });
  });
});
