// The successful answer of the token endpoint for a signed-in user, shared by every delegated grant
// (authorization code, refresh token, device code, on-behalf-of).
import type { Authority, Call } from '../entra/context.ts';
import { aadsts } from '../entra/aadsts.ts';
import { consentedScopes } from '../directory.ts';
import type { Application, FakeUser } from '../model.ts';
import { grantedScopeString, type ScopeRequest } from '../entra/scopes.ts';
import { ACCESS_TOKEN_LIFETIME, clientInfo, mintDelegatedAccessToken, mintIdToken } from '../tokens.ts';

/**
 * The permissions the token may carry: those requested (or, for `.default`, everything granted).
 * Throws AADSTS65001 consent_required when the user or an administrator has not consented.
 */
export function consentedPermissions(authority: Authority, client: Application, user: FakeUser, request: ScopeRequest): string[] {
  const granted = consentedScopes(authority.model, client, request.resource, user.id);
  if (request.isDefault) return [...granted];
  if (request.scopes.some((scope) => !granted.has(scope))) throw aadsts('consentRequired', client);
  return request.scopes;
}

export interface UserTokens {
  client: Application;
  user: FakeUser;
  scopes: ScopeRequest;
  /** The token request's parameters (`client_info=1` asks for client_info). */
  params: URLSearchParams;
  nonce?: string | null;
  /** A refresh always returns a new refresh token; other grants only when offline_access was asked for. */
  refresh?: boolean;
}

export async function userTokenResponse(authority: Authority, call: Call, tokens: UserTokens): Promise<Response> {
  const { client, user, scopes } = tokens;
  const permissions = consentedPermissions(authority, client, user, scopes);
  const accessToken = await mintDelegatedAccessToken(authority, {
    origin: call.origin,
    client,
    user,
    resource: scopes.resource,
    // Entra adds the OpenID Connect scopes to a Graph token's `scp`, as Graph serves /oidc/userinfo.
    scopes: scopes.resource.identifierUris.includes('https://graph.microsoft.com')
      ? [...permissions, ...scopes.oidc.filter((scope) => scope !== 'offline_access')]
      : permissions,
  });
  const body: Record<string, string | number> = {
    token_type: 'Bearer',
    scope: grantedScopeString(scopes, permissions),
    expires_in: ACCESS_TOKEN_LIFETIME,
    ext_expires_in: ACCESS_TOKEN_LIFETIME,
    access_token: accessToken,
  };
  if (tokens.refresh || scopes.oidc.includes('offline_access')) {
    body.refresh_token = authority.grants.issueRefreshToken({ clientId: client.appId, userId: user.id, now: authority.now() });
  }
  if (scopes.oidc.includes('openid')) {
    body.id_token = await mintIdToken(authority, { origin: call.origin, client, user, nonce: tokens.nonce ?? undefined });
  }
  if (tokens.params.get('client_info') === '1') body.client_info = clientInfo(user.id, authority.model.tenantId);
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
}
