// How Entra reads the `scope` parameter. A scope names a resource and a permission:
// `api://{appId}/mcp.tools`, `{appId}/mcp.tools`, `https://graph.microsoft.com/User.Read`, or a bare
// `User.Read` (which means Microsoft Graph). openid, profile, email and offline_access are OpenID Connect
// scopes, not permissions of an API. One request targets one resource, and `.default` (everything the
// app was granted) stands alone.
import { EntraError, invalidScope } from './entra-errors.ts';
import { findApp } from './directory.ts';
import { GRAPH_APP_ID, type Application, type TenantModel } from './model.ts';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export interface ScopeRequest {
  /** The OpenID Connect scopes asked for (lower case). */
  oidc: string[];
  /** The API the access token is for (Graph when only OpenID Connect scopes were asked for). */
  resource: Application;
  /** Short permission names, as they appear in `scp` (empty with `.default`). */
  scopes: string[];
  /** The resource scopes exactly as the client wrote them (echoed in the token response). */
  requested: string[];
  /** `{resource}/.default`: everything already granted to the app. */
  isDefault: boolean;
}

const isOidc = (scope: string) => (OIDC_SCOPES as readonly string[]).includes(scope.toLowerCase());

/** Finds the API a scope's prefix names: an identifier URI (`api://...`, `https://graph...`) or a client id. */
function resourceNamed(model: TenantModel, prefix: string): Application | undefined {
  const apps = [...model.applications, ...model.firstPartyApis];
  return apps.find(
    (app) => app.appId === prefix || app.identifierUris.some((uri) => uri.replace(/\/$/, '') === prefix.replace(/\/$/, '')),
  );
}

function splitScope(scope: string): { prefix: string; value: string } {
  const slash = scope.lastIndexOf('/');
  // A bare permission name is a Microsoft Graph permission, as in Entra.
  if (slash === -1) return { prefix: GRAPH_APP_ID, value: scope };
  return { prefix: scope.slice(0, slash), value: scope.slice(slash + 1) };
}

/**
 * Parses and validates `scope` (and Entra's `resource`, RFC 8707). Throws the AADSTS error Entra
 * returns: 70011 invalid_scope, 28000 two resources, 500011 unknown resource, 9010010 resource mismatch.
 */
export function parseScopes(model: TenantModel, scopeParam: string | null, resourceParam: string | null = null): ScopeRequest {
  const all = (scopeParam ?? '').split(/\s+/).filter(Boolean);
  if (all.length === 0) {
    throw new EntraError(900144, 'invalid_request', "The request body must contain the following parameter: 'scope'.");
  }
  const oidc = all.filter(isOidc).map((scope) => scope.toLowerCase());
  const requested = all.filter((scope) => !isOidc(scope));
  const graph = findApp(model, GRAPH_APP_ID)!;

  let resource: Application | undefined;
  const scopes: string[] = [];
  let isDefault = false;
  for (const scope of requested) {
    const { prefix, value } = splitScope(scope);
    const app = resourceNamed(model, prefix);
    if (!app) {
      throw new EntraError(
        500011,
        'invalid_resource',
        `The resource principal named ${prefix} was not found in the tenant named ${model.displayName}. This can ` +
          'happen if the application has not been installed by the administrator of the tenant or consented to by ' +
          'any user in the tenant. You might have sent your authentication request to the wrong tenant.',
      );
    }
    if (resource && resource.appId !== app.appId) {
      throw new EntraError(
        28000,
        'invalid_scope',
        `Provided value for the input parameter scope is not valid because it contains more than one resource. ` +
          `Scope ${all.join(' ')} is not valid.`,
      );
    }
    resource = app;
    if (value === '.default') {
      isDefault = true;
      continue;
    }
    const permission = app.api.oauth2PermissionScopes.find((candidate) => candidate.value.toLowerCase() === value.toLowerCase());
    if (!permission || !permission.isEnabled) {
      throw invalidScope(`The scope '${scope}' does not exist on the resource '${app.appId}'.`);
    }
    scopes.push(permission.value);
  }
  if (isDefault && requested.length > 1) {
    throw invalidScope(`The scope '${requested.join(' ')}' is not valid: .default cannot be combined with other resource scopes.`);
  }
  resource ??= graph;

  if (resourceParam !== null && !resource.identifierUris.some((uri) => uri.replace(/\/$/, '') === resourceParam.replace(/\/$/, ''))) {
    throw new EntraError(
      9010010,
      'invalid_target',
      "The resource parameter provided in the request doesn't match with the requested scopes.",
    );
  }
  return { oidc, resource, scopes: [...new Set(scopes)], requested, isDefault };
}

/** The `scope` a token response reports: the resource scopes as requested, then the OpenID Connect ones. */
export function grantedScopeString(request: ScopeRequest, granted: string[]): string {
  const resourceScopes = request.isDefault ? request.requested : request.requested.filter((scope) => granted.includes(splitScope(scope).value));
  const oidc = request.oidc.filter((scope) => scope !== 'offline_access');
  return [...resourceScopes, ...oidc].join(' ');
}
