// The two app registrations the course needs, as the Microsoft Graph `application` objects a script
// sends to `POST /applications`. Written as code, a registration can be reviewed, versioned and created
// the same way in every tenant, instead of being clicked together from memory.
//
// The permission ids are stable GUIDs: Graph's own for `User.Read` (the same in every tenant), and ours
// for the server's scope and roles (chosen once, never changed: tokens and consents refer to them). Both
// come from shared/entra/, which the built-in fake tenant reads too: your tenant gets the same ids.
import { DISPLAY_NAMES, REMOTE_SERVER_ROLES, REMOTE_SERVER_SCOPE } from '#shared/entra/course-apps.ts';
import type { Application } from '#shared/entra/graph-application.ts';
import { GRAPH_APP_ID, GRAPH_SCOPES } from '#shared/entra/microsoft-graph.ts';

/** The names the course uses; the lab guide and the settings' "where to find it" texts refer to them. */
export { DISPLAY_NAMES };

/**
 * What `POST /applications` is sent: the properties of Graph's `application` this course sets (the
 * display name, who may sign in and the permissions it needs, and any of the others).
 */
export type ApplicationBody = Pick<Application, 'displayName' | 'signInAudience' | 'requiredResourceAccess'> &
  Partial<Pick<Application, 'isFallbackPublicClient' | 'identifierUris' | 'publicClient' | 'web' | 'appRoles'>> & {
    api?: Pick<Application['api'], 'requestedAccessTokenVersion' | 'oauth2PermissionScopes'>;
  };

/** Delegated Graph `User.Read`: sign the user in and read their own profile (`/me`). */
const GRAPH_USER_READ = {
  resourceAppId: GRAPH_APP_ID,
  resourceAccess: [{ id: GRAPH_SCOPES['User.Read'], type: 'Scope' as const }],
};

export interface LocalClientOptions {
  displayName?: string;
}

// TODO(01.2): Describe lab 02's local public client: this tenant only, redirect http://localhost, a public
// client (no secret), and delegated Graph User.Read.
export function localClientApplication({ displayName = DISPLAY_NAMES.localClient }: LocalClientOptions = {}): ApplicationBody {
  // #region solution
  return {
    displayName,
    signInAudience: 'AzureADMyOrg', // single tenant: only this organization's accounts
    // A desktop or CLI app: MSAL listens on http://localhost (any port) for the redirect.
    publicClient: { redirectUris: ['http://localhost'] },
    // Lets the app use the flows with no redirect at all (device code), which a stdio server needs.
    isFallbackPublicClient: true,
    requiredResourceAccess: [GRAPH_USER_READ],
  };
  // #endregion
}

export interface RemoteServerOptions {
  /** Where the server listens, e.g. http://localhost:3000 or https://mcp.contoso.com. */
  serverBaseUrl: string;
  displayName?: string;
}

// TODO(01.2): Describe the remote server (labs 03-05): a web redirect URI for /auth/callback, v2 access
// tokens, the delegated scope mcp.tools, the app roles MCP.Reader and MCP.Admin, and Graph User.Read.
export function remoteServerApplication({ serverBaseUrl, displayName = DISPLAY_NAMES.remoteServer }: RemoteServerOptions): ApplicationBody {
  // #region solution
  const consent = 'Use the MCP server\'s tools';
  const role = (id: string, value: string, name: string) => ({
    id,
    value,
    displayName: name,
    description: name,
    allowedMemberTypes: ['User' as const], // assigned to people, not to other apps
    isEnabled: true,
  });
  return {
    displayName,
    signInAudience: 'AzureADMyOrg',
    // A confidential client: Entra sends the authorization code only to this exact URI.
    web: { redirectUris: [`${serverBaseUrl.replace(/\/+$/, '')}/auth/callback`] },
    api: {
      // v2 tokens: `aud` is the client ID and `iss` ends in /v2.0, what the server validates in lab 05.
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          id: REMOTE_SERVER_SCOPE.id,
          value: REMOTE_SERVER_SCOPE.value,
          type: 'User', // a user may consent for themselves
          isEnabled: true,
          adminConsentDisplayName: consent,
          adminConsentDescription: consent,
          userConsentDisplayName: consent,
          userConsentDescription: consent,
        },
      ],
    },
    appRoles: [
      role(REMOTE_SERVER_ROLES.reader.id, REMOTE_SERVER_ROLES.reader.value, 'MCP readers'),
      role(REMOTE_SERVER_ROLES.admin.id, REMOTE_SERVER_ROLES.admin.value, 'MCP administrators'),
    ],
    requiredResourceAccess: [GRAPH_USER_READ],
  };
  // #endregion
}
