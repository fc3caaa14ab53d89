// The fake tenant's directory: who exists, which apps are registered, who holds which role and who
// consented to what. App registrations are kept as Microsoft Graph `application` objects, so the
// registrations lab 01 creates through Graph are the very objects the token endpoint then checks.

/** Microsoft Graph's own application id (the resource behind https://graph.microsoft.com). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

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

/** A delegated permission an API exposes (`api.oauth2PermissionScopes` in Graph). */
export interface PermissionScope {
  id: string;
  value: string; // the short name that appears in `scp`, e.g. "mcp.tools"
  type: 'User' | 'Admin';
  isEnabled: boolean;
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
}

/** An app role (`appRoles` in Graph): appears in the `roles` claim of the users who hold it. */
export interface AppRole {
  id: string;
  value: string; // e.g. "MCP.Admin"
  displayName: string;
  description: string;
  allowedMemberTypes: Array<'User' | 'Application'>;
  isEnabled: boolean;
}

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string; // the first three characters, as Graph shows them
  startDateTime: string;
  endDateTime: string;
  /** SHA-256 of the secret, hex. Graph never returns the secret after creation; neither do we. */
  secretHash: string;
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: Array<{ id: string; type: 'Scope' | 'Role' }>;
}

/** A Microsoft Graph `application` object: one app registration. */
export interface Application {
  id: string; // the object id
  appId: string; // the client id
  displayName: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount';
  identifierUris: string[];
  isFallbackPublicClient: boolean;
  web: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  spa: { redirectUris: string[] };
  api: {
    requestedAccessTokenVersion: 1 | 2 | null;
    oauth2PermissionScopes: PermissionScope[];
    /** Clients allowed to request these scopes without a consent prompt. */
    preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }>;
  };
  appRoles: AppRole[];
  requiredResourceAccess: RequiredResourceAccess[];
  passwordCredentials: PasswordCredential[];
  createdDateTime: string;
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
