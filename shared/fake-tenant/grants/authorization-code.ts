// grant_type=authorization_code: the app exchanges the code from the redirect for tokens. The code is
// single-use, lives 10 minutes, is bound to the client and redirect URI it was issued for, and (with
// PKCE) only the holder of the code_verifier can redeem it.
import { createHash } from 'node:crypto';
import { aadsts } from '../entra/aadsts.ts';
import type { TokenRequest } from './token-request.ts';
import { findUser } from '../directory.ts';
import { CODE_LIFETIME_MS } from './store.ts';
import { parseScopes } from '../entra/scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function redeemAuthorizationCode({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('code');
  if (!value) throw aadsts('missingParameter', 'code');
  const code = authority.grants.codes.get(value);
  if (!code || code.clientId !== client.appId) throw aadsts('malformedGrant');
  if (code.redeemed) throw aadsts('codeRedeemed');
  if (authority.now() - code.issuedAt > CODE_LIFETIME_MS) throw aadsts('codeExpired');
  const redirectUri = params.get('redirect_uri');
  if (redirectUri !== code.redirectUri) throw aadsts('codeRedirectUriMismatch', redirectUri ?? '');
  if (code.codeChallenge !== null) {
    const verifier = params.get('code_verifier') ?? '';
    // S256: the challenge is base64url(SHA-256(verifier)).
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) throw aadsts('pkceMismatch');
  }
  code.redeemed = true;
  const user = findUser(authority.model, code.userId);
  if (!user) throw aadsts('malformedGrant');
  const scopes = parseScopes(authority.model, params.get('scope') ?? code.scope, params.get('resource'));
  return userTokenResponse(authority, call, { client, user, scopes, params, nonce: code.nonce });
}
