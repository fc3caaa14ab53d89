// grant_type=jwt-bearer with requested_token_use=on_behalf_of: an API that received a user's token
// exchanges it for a token to a downstream API (Graph) for the same user. The assertion must be a
// user token this tenant issued *for the calling API*: an API cannot trade a token meant for another.
import { errors } from 'jose';
import { aadsts } from '../entra/aadsts.ts';
import type { TokenRequest } from './token-request.ts';
import { findUser } from '../directory.ts';
import { parseScopes } from '../entra/scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function onBehalfOf({ authority, call, client, params }: TokenRequest): Promise<Response> {
  if (params.get('requested_token_use') !== 'on_behalf_of') throw aadsts('missingParameterValue', 'requested_token_use', 'on_behalf_of');
  const assertion = params.get('assertion');
  if (!assertion) throw aadsts('missingParameter', 'assertion');
  let claims;
  try {
    claims = await authority.keys.verify(assertion, { currentDate: new Date(authority.now()) });
  } catch (failure) {
    throw aadsts(failure instanceof errors.JWTExpired ? 'assertionExpired' : 'assertionSignatureInvalid');
  }
  const audiences = [client.appId, ...client.identifierUris];
  if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) throw aadsts('assertionAudienceMismatch', String(claims.aud), client.appId);
  const user = claims.idtyp === 'app' || typeof claims.oid !== 'string' ? undefined : findUser(authority.model, claims.oid);
  if (!user) throw aadsts('assertionNotForUser');
  const scopes = parseScopes(authority.model, params.get('scope'), params.get('resource'));
  return userTokenResponse(authority, call, { client, user, scopes, params });
}
