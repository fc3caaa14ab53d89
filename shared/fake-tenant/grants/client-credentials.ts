// grant_type=client_credentials: an app acting as itself, with no user. It asks for `{resource}/.default`
// and receives the application permissions (app roles) an administrator granted it, in `roles`.
import { aadsts } from '../entra/aadsts.ts';
import type { TokenRequest } from './token-request.ts';
import { parseScopes } from '../entra/scopes.ts';
import { ACCESS_TOKEN_LIFETIME, mintAppAccessToken } from '../tokens.ts';

export async function clientCredentials({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const scope = params.get('scope');
  const scopes = parseScopes(authority.model, scope, params.get('resource'));
  if (!scopes.isDefault || scopes.oidc.length > 0) throw aadsts('clientCredentialsNeedDefault', scope ?? '');
  const accessToken = await mintAppAccessToken(authority, { origin: call.origin, client, resource: scopes.resource });
  return Response.json(
    { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME, ext_expires_in: ACCESS_TOKEN_LIFETIME, access_token: accessToken },
    { headers: { 'cache-control': 'no-store' } },
  );
}
