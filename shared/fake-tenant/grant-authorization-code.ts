// grant_type=authorization_code: the app exchanges the code from the redirect for tokens. The code is
// single-use, lives 10 minutes, is bound to the client and redirect URI it was issued for, and (with
// PKCE) only the holder of the code_verifier can redeem it.
import { createHash } from 'node:crypto';
import { EntraError, missingParameter } from './entra-errors.ts';
import type { TokenRequest } from './entra-token.ts';
import { findUser } from './directory.ts';
import { CODE_LIFETIME_MS } from './grant-store.ts';
import { parseScopes } from './scopes.ts';
import { userTokenResponse } from './token-response.ts';

const malformed = () => new EntraError(9002313, 'invalid_grant', 'Invalid request. Request is malformed or invalid.');

export async function redeemAuthorizationCode({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('code');
  if (!value) throw missingParameter('code');
  const code = authority.grants.codes.get(value);
  if (!code || code.clientId !== client.appId) throw malformed();
  if (code.redeemed) {
    throw new EntraError(54005, 'invalid_grant', 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  if (authority.now() - code.issuedAt > CODE_LIFETIME_MS) {
    throw new EntraError(70008, 'invalid_grant', 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
  }
  const redirectUri = params.get('redirect_uri');
  if (redirectUri !== code.redirectUri) {
    throw new EntraError(50011, 'invalid_grant', `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URI used when requesting the authorization code.`);
  }
  if (code.codeChallenge !== null) {
    const verifier = params.get('code_verifier') ?? '';
    // S256: the challenge is base64url(SHA-256(verifier)).
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
      throw new EntraError(50148, 'invalid_grant', 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
    }
  }
  code.redeemed = true;
  const user = findUser(authority.model, code.userId);
  if (!user) throw malformed();
  const scopes = parseScopes(authority.model, params.get('scope') ?? code.scope, params.get('resource'));
  return userTokenResponse(authority, call, { client, user, scopes, params, nonce: code.nonce });
}
