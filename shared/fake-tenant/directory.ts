// Questions the authority asks the tenant model: who is this user, which app is this client id, is
// this redirect URI registered, what did the user consent to, which roles does someone hold.
import { hashSecret, type Application, type FakeUser, type TenantModel } from './model.ts';

/** The tenant path segment (`/{tenant}/oauth2/...`): the tenant id, its domain, or a multi-tenant alias. */
export function isTenantSegment(model: TenantModel, segment: string): boolean {
  const name = segment.toLowerCase();
  return [model.tenantId, model.domain.toLowerCase(), 'organizations', 'common'].includes(name);
}

/** An app registration or a first-party API (Microsoft Graph) by client id. */
export function findApp(model: TenantModel, appId: string): Application | undefined {
  return [...model.applications, ...model.firstPartyApis].find((app) => app.appId === appId);
}

/** A user by object id or user principal name (case-insensitive, as Entra matches UPNs). */
export function findUser(model: TenantModel, oidOrUpn: string): FakeUser | undefined {
  const wanted = oidOrUpn.toLowerCase();
  return model.users.find((user) => user.id === wanted || user.userPrincipalName.toLowerCase() === wanted);
}

export function servicePrincipalOf(model: TenantModel, appId: string) {
  return model.servicePrincipals.find((principal) => principal.appId === appId);
}

/** A confidential client must authenticate at the token endpoint; a public client cannot hold a secret. */
export function isConfidential(app: Application): boolean {
  return !app.isFallbackPublicClient;
}

/** True when the secret matches one of the app's unexpired client secrets (compared by hash). */
export function secretMatches(app: Application, secret: string, now: number): boolean {
  const hash = hashSecret(secret);
  return app.passwordCredentials.some(
    (credential) => credential.secretHash === hash && Date.parse(credential.endDateTime) > now,
  );
}

/**
 * Exact redirect URI match against every platform of the registration. For a public client's loopback
 * URI (`http://localhost`, `http://127.0.0.1`) Entra ignores the port, so a CLI can listen on any free port.
 */
export function isRegisteredRedirectUri(app: Application, redirectUri: string): boolean {
  const registered = [...app.web.redirectUris, ...app.publicClient.redirectUris, ...app.spa.redirectUris];
  if (registered.includes(redirectUri)) return true;
  if (!URL.canParse(redirectUri)) return false;
  const requested = new URL(redirectUri);
  if (requested.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(requested.hostname)) return false;
  return app.publicClient.redirectUris.some((uri) => {
    if (!URL.canParse(uri)) return false;
    const candidate = new URL(uri);
    return (
      candidate.protocol === 'http:' &&
      candidate.hostname === requested.hostname &&
      candidate.pathname === requested.pathname &&
      candidate.search === requested.search
    );
  });
}

/** The values of the app roles `principalId` (a user, or a client's service principal) holds on `resource`. */
export function rolesOf(model: TenantModel, principalId: string, resource: Application): string[] {
  return model.roleAssignments
    .filter((assignment) => assignment.principalId === principalId && assignment.resourceAppId === resource.appId)
    .map((assignment) => resource.appRoles.find((role) => role.id === assignment.appRoleId && role.isEnabled)?.value)
    .filter((value): value is string => value !== undefined);
}

/**
 * The delegated scopes of `resource` that `client` may use for `userId` without asking: consented
 * (for everyone or for this user), pre-authorized by the API, or the app calling its own API.
 */
export function consentedScopes(model: TenantModel, client: Application, resource: Application, userId: string): Set<string> {
  const granted = new Set<string>();
  if (client.appId === resource.appId) {
    for (const scope of resource.api.oauth2PermissionScopes) granted.add(scope.value);
  }
  for (const consent of model.consents) {
    if (consent.clientAppId !== client.appId || consent.resourceAppId !== resource.appId) continue;
    if (consent.principalId !== 'AllPrincipals' && consent.principalId !== userId) continue;
    for (const scope of consent.scopes) granted.add(scope);
  }
  for (const preAuthorized of resource.api.preAuthorizedApplications) {
    if (preAuthorized.appId !== client.appId) continue;
    for (const scope of resource.api.oauth2PermissionScopes) {
      if (preAuthorized.delegatedPermissionIds.includes(scope.id)) granted.add(scope.value);
    }
  }
  return granted;
}

/** Records a user's consent (what the consent page's "Accept" does). */
export function grantConsent(model: TenantModel, client: Application, resource: Application, userId: string, scopes: string[]) {
  const existing = model.consents.find(
    (consent) => consent.clientAppId === client.appId && consent.resourceAppId === resource.appId && consent.principalId === userId,
  );
  if (existing) existing.scopes = [...new Set([...existing.scopes, ...scopes])];
  else model.consents.push({ clientAppId: client.appId, resourceAppId: resource.appId, scopes, principalId: userId });
}
