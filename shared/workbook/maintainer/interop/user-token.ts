// A user's access token for lab 05's API, got the way an MCP client with a pre-registered client ID gets
// one from Entra: the authorization code flow with PKCE and state, the person signing in on the tenant's
// page (over HTTP, browser-person.ts), the code redeemed at the token endpoint. It lives in memory only:
// interop hands it to the Inspector's `--header` and never shows it.
import { createHash, randomBytes } from 'node:crypto';
import { APPS } from '#shared/entra/built-in-tenant.ts';
import { REMOTE_SERVER_SCOPE } from '#shared/entra/course-apps.ts';
import { signInInBrowser } from '#shared/fake-tenant/browser-person.ts';

/** The MCP client's registered redirect URI: a loopback one, which the client catches itself. */
const REDIRECT_URI = 'http://localhost';

export async function userTokenForServerApi(authority: string, user: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const scope = `api://${APPS.remoteServer}/${REMOTE_SERVER_SCOPE.value}`;
  const authorize = new URL(`${authority}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: APPS.mcpClient,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const { url: back } = await signInInBrowser(authorize, { user, stopAt: REDIRECT_URI });
  const code = back.searchParams.get('code');
  if (back.searchParams.get('state') !== state) throw new Error('the sign-in came back with another state');
  if (!code) throw new Error(`the sign-in came back without a code (${back.searchParams.get('error') ?? 'no error either'})`);

  const response = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: APPS.mcpClient, grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, scope }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_codes?: number[] };
  if (!response.ok || !body.access_token) throw new Error(`the token endpoint answered ${response.status} ${body.error ?? ''} AADSTS${body.error_codes?.[0] ?? '?'}`);
  return body.access_token;
}
