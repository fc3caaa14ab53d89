// grant_type=refresh_token: new tokens without the user. Entra's refresh tokens work for any resource
// the user consented to for this client. This tenant rotates them by default (see AuthoritySettings):
// a refresh token works once, so two concurrent refreshes with the same token cannot both succeed.
import { EntraError, missingParameter } from './entra-errors.ts';
import type { TokenRequest } from './entra-token.ts';
import { findUser } from './directory.ts';
import { REFRESH_INACTIVITY_MS } from './grant-store.ts';
import { parseScopes } from './scopes.ts';
import { userTokenResponse } from './token-response.ts';

/** Entra's suberror for a refresh token that can no longer be used: msal-node then asks for interaction. */
const BAD_TOKEN = 'bad_token';

export async function redeemRefreshToken({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('refresh_token');
  if (!value) throw missingParameter('refresh_token');
  const grant = authority.grants.refreshTokens.get(value);
  if (!grant || grant.clientId !== client.appId) {
    throw new EntraError(9002313, 'invalid_grant', 'Invalid request. Request is malformed or invalid.');
  }
  const now = authority.now();
  if (grant.revoked) {
    throw new EntraError(
      50173,
      'invalid_grant',
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have ' +
        `changed or reset their password. The grant was issued on '${new Date(grant.issuedAt).toISOString()}'.`,
      400,
      BAD_TOKEN,
    );
  }
  if (grant.redeemed) {
    throw new EntraError(70000, 'invalid_grant', 'Provided grant is invalid or malformed: this refresh token was already used, and this tenant rotates refresh tokens. Use the newest one.', 400, BAD_TOKEN);
  }
  if (now - grant.lastUsedAt > REFRESH_INACTIVITY_MS) {
    throw new EntraError(700082, 'invalid_grant', `The refresh token has expired due to inactivity. The token was issued on ${new Date(grant.issuedAt).toISOString()} and was inactive for 90.00:00:00.`, 400, BAD_TOKEN);
  }
  const user = findUser(authority.model, grant.userId);
  if (!user) throw new EntraError(50034, 'invalid_grant', 'The user account does not exist in this directory.');
  const scopes = parseScopes(authority.model, params.get('scope'), params.get('resource'));
  const response = await userTokenResponse(authority, call, { client, user, scopes, params, refresh: true });
  if (authority.settings.rotateRefreshTokens) grant.redeemed = true;
  else grant.lastUsedAt = now;
  return response;
}
