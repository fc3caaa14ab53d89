// `POST /{tenant}/oauth2/v2.0/token`: authenticates the client, then hands the request to its grant.
import type { Authority, Call } from './context.ts';
import { aadsts } from './aadsts.ts';
import { findApp, isConfidential, secretMatches } from '../directory.ts';
import type { Application } from '../model.ts';
import type { TokenRequest } from '../grants/token-request.ts';
import { redeemAuthorizationCode } from '../grants/authorization-code.ts';
import { clientCredentials } from '../grants/client-credentials.ts';
import { redeemDeviceCode } from '../grants/device-code.ts';
import { onBehalfOf } from '../grants/on-behalf-of.ts';
import { redeemRefreshToken } from '../grants/refresh-token.ts';

const GRANTS: Record<string, (request: TokenRequest) => Promise<Response>> = {
  authorization_code: redeemAuthorizationCode,
  refresh_token: redeemRefreshToken,
  client_credentials: clientCredentials,
  'urn:ietf:params:oauth:grant-type:device_code': redeemDeviceCode,
  // msal-node polls with the short form; Entra accepts both.
  device_code: redeemDeviceCode,
  'urn:ietf:params:oauth:grant-type:jwt-bearer': onBehalfOf,
};

export async function token(authority: Authority, call: Call): Promise<Response> {
  const params = new URLSearchParams(await call.request.text());
  const injected = authority.faults.takeTokenFailure();
  if (injected) throw injected;
  const grantType = params.get('grant_type');
  if (!grantType) throw aadsts('missingParameter', 'grant_type');
  const grant = GRANTS[grantType];
  if (!grant) throw aadsts('unsupportedGrantType', grantType);
  const client = authenticateClient(authority, call, params);
  return grant({ authority, call, client, params });
}

/**
 * A confidential client proves who it is with its secret (in the body, or HTTP Basic); a public client
 * has no secret and must not send one.
 */
function authenticateClient(authority: Authority, call: Call, params: URLSearchParams): Application {
  const basic = basicCredentials(call.request.headers.get('authorization'));
  const clientId = params.get('client_id') ?? basic?.clientId;
  if (!clientId) throw aadsts('missingParameter', 'client_id');
  const client = findApp(authority.model, clientId);
  if (!client || authority.model.firstPartyApis.includes(client)) throw aadsts('unknownClient', clientId, call.tenant);
  const secret = params.get('client_secret') ?? basic?.secret ?? null;
  if (!isConfidential(client)) {
    if (secret !== null || params.has('client_assertion')) throw aadsts('publicClientSentSecret');
    return client;
  }
  if (secret === null) throw aadsts('clientSecretMissing');
  if (!secretMatches(client, secret, authority.now())) throw aadsts('invalidClientSecret', client.appId);
  return client;
}

/** `Authorization: Basic base64(urlencode(client_id):urlencode(secret))` (RFC 6749 2.3.1). */
function basicCredentials(header: string | null): { clientId: string; secret: string } | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}
