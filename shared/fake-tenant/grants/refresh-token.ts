// grant_type=refresh_token: new tokens without the user. Entra's refresh tokens work for any resource
// the user consented to for this client. This tenant rotates them by default (see AuthoritySettings):
// a refresh token works once, so two concurrent refreshes with the same token cannot both succeed.
import { aadsts } from '../entra/aadsts.ts';
import type { TokenRequest } from './token-request.ts';
import { findUser } from '../directory.ts';
import { REFRESH_INACTIVITY_MS } from './store.ts';
import { parseScopes } from '../entra/scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function redeemRefreshToken({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('refresh_token');
  if (!value) throw aadsts('missingParameter', 'refresh_token');
  const grant = authority.grants.refreshGrant(value);
  if (!grant || grant.clientId !== client.appId) throw aadsts('malformedGrant');
  const now = authority.now();
  // bad_token (Entra's suberror on each): msal-node then asks for interaction.
  if (grant.revoked) throw aadsts('refreshTokenRevoked', grant.issuedAt);
  if (grant.redeemed) throw aadsts('refreshTokenReused');
  if (now - grant.lastUsedAt > REFRESH_INACTIVITY_MS) throw aadsts('refreshTokenInactive', grant.issuedAt);
  const user = findUser(authority.model, grant.userId);
  if (!user) throw aadsts('unknownUser');
  const scopes = parseScopes(authority.model, params.get('scope'), params.get('resource'));
  const response = await userTokenResponse(authority, call, { client, user, scopes, params, refresh: true });
  if (authority.settings.rotateRefreshTokens) grant.redeemed = true;
  else grant.lastUsedAt = now;
  return response;
}
