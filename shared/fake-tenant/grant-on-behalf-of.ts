// grant_type=jwt-bearer with requested_token_use=on_behalf_of: an API that received a user's token
// exchanges it for a token to a downstream API (Graph) for the same user. The assertion must be a
// user token this tenant issued *for the calling API*: an API cannot trade a token meant for another.
import { errors } from 'jose';
import { EntraError, missingParameter } from './entra-errors.ts';
import type { TokenRequest } from './entra-token.ts';
import { findUser } from './directory.ts';
import { parseScopes } from './scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function onBehalfOf({ authority, call, client, params }: TokenRequest): Promise<Response> {
  if (params.get('requested_token_use') !== 'on_behalf_of') missingParameterValue('requested_token_use', 'on_behalf_of');
  const assertion = params.get('assertion');
  if (!assertion) throw missingParameter('assertion');
  let claims;
  try {
    claims = await authority.keys.verify(assertion, { currentDate: new Date(authority.now()) });
  } catch (failure) {
    if (failure instanceof errors.JWTExpired) throw new EntraError(500133, 'invalid_grant', 'Assertion is not within its valid time range.');
    throw new EntraError(50013, 'invalid_grant', 'Assertion failed signature validation.');
  }
  const audiences = [client.appId, ...client.identifierUris];
  if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) {
    throw new EntraError(
      50013,
      'invalid_grant',
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was ` +
        `'${String(claims.aud)}' and the expected audience is '${client.appId}' or one of the Application Id URIs of this application.`,
    );
  }
  const user = claims.idtyp === 'app' || typeof claims.oid !== 'string' ? undefined : findUser(authority.model, claims.oid);
  if (!user) throw new EntraError(50013, 'invalid_grant', 'Assertion is not a delegated token for a user of this tenant: on-behalf-of needs a user token.');
  const scopes = parseScopes(authority.model, params.get('scope'), params.get('resource'));
  return userTokenResponse(authority, call, { client, user, scopes, params });
}

function missingParameterValue(name: string, value: string): never {
  throw new EntraError(900144, 'invalid_request', `The request body must contain the following parameter: '${name}' with the value '${value}'.`);
}
