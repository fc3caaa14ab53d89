// How Entra reads the `scope` parameter. A scope names a resource and a permission:
// `api://{appId}/mcp.tools`, `{appId}/mcp.tools`, `https://graph.microsoft.com/User.Read`, or a bare
// `User.Read` (which means Microsoft Graph). openid, profile, email and offline_access are OpenID Connect
// scopes, not permissions of an API. One request targets one resource, and `.default` (everything the
// app was granted) stands alone.
import { aadsts } from './aadsts.ts';
import { findApp } from '../directory.ts';
import { GRAPH_APP_ID } from '../../entra/microsoft-graph.ts';
import type { Application, TenantModel } from '../model.ts';

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
 * returns: a missing or unknown scope, two resources, an unknown resource, a resource that is not the scopes'.
 */
export function parseScopes(model: TenantModel, scopeParam: string | null, resourceParam: string | null = null): ScopeRequest {
  const all = (scopeParam ?? '').split(/\s+/).filter(Boolean);
  if (all.length === 0) {
    throw aadsts('missingParameter', 'scope');
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
    if (!app) throw aadsts('resourceNotFound', prefix, model.displayName);
    if (resource && resource.appId !== app.appId) throw aadsts('twoResources', all.join(' '));
    resource = app;
    if (value === '.default') {
      isDefault = true;
      continue;
    }
    const permission = app.api.oauth2PermissionScopes.find((candidate) => candidate.value.toLowerCase() === value.toLowerCase());
    if (!permission || !permission.isEnabled) throw aadsts('scopeNotFound', scope, app.appId);
    scopes.push(permission.value);
  }
  if (isDefault && requested.length > 1) throw aadsts('defaultScopeCombined', requested.join(' '));
  resource ??= graph;

  if (resourceParam !== null && !resource.identifierUris.some((uri) => uri.replace(/\/$/, '') === resourceParam.replace(/\/$/, ''))) {
    throw aadsts('resourceMismatch');
  }
  return { oidc, resource, scopes: [...new Set(scopes)], requested, isDefault };
}

/** The `scope` a token response reports: the resource scopes as requested, then the OpenID Connect ones. */
export function grantedScopeString(request: ScopeRequest, granted: string[]): string {
  const resourceScopes = request.isDefault ? request.requested : request.requested.filter((scope) => granted.includes(splitScope(scope).value));
  const oidc = request.oidc.filter((scope) => scope !== 'offline_access');
  return [...resourceScopes, ...oidc].join(' ');
}
