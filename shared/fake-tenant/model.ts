// The fake tenant's directory: who exists, which apps are registered, who holds which role and who
// consented to what. App registrations are kept as Microsoft Graph `application` objects, so the
// registrations lab 01 creates through Graph are the very objects the token endpoint then checks (their
// type, shared with lab 01, is in shared/entra/graph-application.ts).
import { createHash } from 'node:crypto';
import type { Application as GraphApplication, PasswordCredential as GraphPasswordCredential } from '../entra/graph-application.ts';

/** A user of the tenant, with the fields Graph's `/me` returns. */
export interface FakeUser {
  id: string; // the object id: the `oid` claim
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  officeLocation: string;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string;
  /** The password the sign-in page accepts (the fake's only credential; never a real one). */
  password: string;
}

export type { AppRole, PermissionScope, RequiredResourceAccess } from '../entra/graph-application.ts';

/** A client secret as the tenant keeps it: what Graph shows, and a hash to check the secret against. */
export interface PasswordCredential extends GraphPasswordCredential {
  hint: string; // the first three characters, as Graph shows them
  startDateTime: string;
  endDateTime: string;
  /** SHA-256 of the secret, hex. Graph never returns the secret after creation; neither do we. */
  secretHash: string;
}

/** The `secretHash` of a secret: what the tenant keeps instead of the secret itself. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A Microsoft Graph `application` object: one app registration, with its secrets' hashes. */
export interface Application extends Omit<GraphApplication, 'passwordCredentials'> {
  passwordCredentials: PasswordCredential[];
  /** Other Graph properties set through Graph (description, notes, tags, ...): kept and returned, never acted on. */
  otherProperties?: Record<string, unknown>;
}

/** A `servicePrincipal`: the app's presence in this tenant (created once per app). */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: 'Application';
}

/**
 * An app role granted to a user, or to an app (`appRoleAssignedTo` in Graph). A role granted to a
 * client's service principal is an application permission: it appears in its client-credentials tokens.
 */
export interface AppRoleAssignment {
  principalId: string; // the user's object id, or the client's service principal id
  resourceAppId: string; // the app that defines the role
  appRoleId: string;
}

/** A delegated permission grant (`oauth2PermissionGrant`): consent, tenant-wide or for one user. */
export interface ConsentGrant {
  clientAppId: string;
  resourceAppId: string;
  scopes: string[]; // short names
  principalId: 'AllPrincipals' | string;
}

export interface TenantModel {
  tenantId: string;
  /** The verified domain, e.g. contoso.onmicrosoft.com (accepted wherever the tenant id is). */
  domain: string;
  displayName: string;
  users: FakeUser[];
  /** The tenant's own app registrations (what Graph's /applications lists). */
  applications: Application[];
  /** Microsoft's APIs the tenant can call (Microsoft Graph), with the scopes and roles they expose. */
  firstPartyApis: Application[];
  servicePrincipals: ServicePrincipal[];
  roleAssignments: AppRoleAssignment[];
  consents: ConsentGrant[];
}

/** A new app registration: the fields given, and Graph's defaults for the rest. */
export function newApplication(
  fields: Partial<Application> & Pick<Application, 'id' | 'appId' | 'displayName' | 'createdDateTime'>,
): Application {
  return {
    signInAudience: 'AzureADMyOrg',
    identifierUris: [],
    isFallbackPublicClient: false,
    web: { redirectUris: [] },
    publicClient: { redirectUris: [] },
    spa: { redirectUris: [] },
    api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    appRoles: [],
    requiredResourceAccess: [],
    passwordCredentials: [],
    ...fields,
  };
}
