// The documents a client reads to find the authority's endpoints and keys: OpenID Connect discovery,
// the JWKS, and Entra's instance discovery. All URLs are built from the request's origin.
import type { Authority, Call } from './context.ts';
import { issuerFor } from '../tokens.ts';

const MICROSOFT_HOST = 'login.microsoftonline.com';

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` */
export function openIdConfiguration(authority: Authority, call: Call): Response {
  const base = `${call.origin}/${call.tenant}`;
  const multiTenant = ['common', 'organizations'].includes(call.tenant.toLowerCase());
  return Response.json({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // A multi-tenant document names no tenant: the issuer holds a placeholder, as Entra's does.
    issuer: issuerFor(call.origin, multiTenant ? '{tenantid}' : authority.model.tenantId),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host',
      'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash',
      'c_hash', 'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
    // Like Entra: no `code_challenge_methods_supported`, although S256 works. MCP clients that require
    // the field refuse Entra; that is a lesson of lab 05, so the fake must not "fix" it.
  });
}

/** `GET /{tenant}/discovery/v2.0/keys` */
export function keys(authority: Authority): Response {
  return Response.json(authority.keys.jwks());
}

/** `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...` */
export function instanceDiscovery(_authority: Authority, call: Call): Response {
  const host = call.url.host;
  const authorizationEndpoint = call.url.searchParams.get('authorization_endpoint');
  const tenant = authorizationEndpoint && URL.canParse(authorizationEndpoint)
    ? (new URL(authorizationEndpoint).pathname.split('/')[1] ?? 'common')
    : 'common';
  const metadata =
    host === MICROSOFT_HOST
      ? [
          {
            preferred_network: MICROSOFT_HOST,
            preferred_cache: 'login.windows.net',
            aliases: [MICROSOFT_HOST, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
          },
        ]
      : [{ preferred_network: host, preferred_cache: host, aliases: [host] }];
  return Response.json({
    tenant_discovery_endpoint: `${call.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': call.url.searchParams.get('api-version') ?? '1.1',
    metadata,
  });
}
