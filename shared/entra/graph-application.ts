// Microsoft Graph's `application` resource (an app registration), the part this course uses. Declared
// once: lab 01 sends and reads these objects through Graph, and the built-in fake tenant keeps its
// registrations as the very same objects. Types only, no fake behind them.
// Graph's reference: https://learn.microsoft.com/graph/api/resources/application

/** Who may sign in to the app: this organization only, any organization, or personal accounts too. */
export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount';

/** A delegated permission an API exposes (`api.oauth2PermissionScopes`): its `value` appears in `scp`. */
export interface PermissionScope {
  id: string;
  value: string; // the short name that appears in `scp`, e.g. "mcp.tools"
  type: 'User' | 'Admin'; // who may consent: a user for themselves, or only an administrator
  isEnabled: boolean;
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
}

/** An app role (`appRoles`): its `value` appears in the `roles` claim of the users or apps that hold it. */
export interface AppRole {
  id: string;
  value: string; // e.g. "MCP.Admin"
  displayName: string;
  description: string;
  allowedMemberTypes: Array<'User' | 'Application'>;
  isEnabled: boolean;
}

/** A permission the app asks for on another API (`requiredResourceAccess`): a delegated scope or an app role. */
export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: Array<{ id: string; type: 'Scope' | 'Role' }>;
}

/** A client secret as Graph shows it: never the secret itself once created, only its first characters. */
export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string | null; // the first three characters
  startDateTime: string | null;
  endDateTime: string | null;
}

/** An app registration as Graph returns it (`GET /applications/{id}`). */
export interface Application {
  id: string; // the object id: what /applications/{id} takes
  appId: string; // the client id: what sign-ins and settings use
  displayName: string;
  signInAudience: SignInAudience;
  identifierUris: string[]; // e.g. api://{appId}: the Application ID URI
  isFallbackPublicClient: boolean; // lets a public client use flows without a redirect (device code)
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
}
