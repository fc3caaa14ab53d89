// The two app registrations the course needs, as the Microsoft Graph `application` objects a script
// sends to `POST /applications`. Written as code, a registration can be reviewed, versioned and created
// the same way in every tenant, instead of being clicked together from memory.
//
// The permission ids are stable GUIDs: Graph's own for `User.Read`, and ours for the server's scope and
// roles (chosen once, never changed: tokens and consents refer to them). The fake tenant uses the same ids.
import { GRAPH_SCOPES, REMOTE_SERVER_ROLES, REMOTE_SERVER_SCOPE } from '#shared/fake-tenant/default-tenant.ts';
import { todo } from '#shared/workbook/todo.ts';

/** Microsoft Graph's application id, the same in every tenant. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The names the course uses; the lab guide and the settings' "where to find it" texts refer to them. */
export const DISPLAY_NAMES = {
  localClient: 'MCP Workbook Local Client',
  remoteServer: 'MCP Workbook Remote Server',
} as const;

/** The subset of Graph's `microsoft.graph.application` this course sets. */
export interface ApplicationBody {
  displayName: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  isFallbackPublicClient?: boolean;
  identifierUris?: string[];
  publicClient?: { redirectUris: string[] };
  web?: { redirectUris: string[] };
  api?: {
    requestedAccessTokenVersion: 1 | 2;
    oauth2PermissionScopes: Array<{
      id: string;
      value: string;
      type: 'User' | 'Admin';
      isEnabled: boolean;
      adminConsentDisplayName: string;
      adminConsentDescription: string;
      userConsentDisplayName: string;
      userConsentDescription: string;
    }>;
  };
  appRoles?: Array<{
    id: string;
    value: string;
    displayName: string;
    description: string;
    allowedMemberTypes: Array<'User' | 'Application'>;
    isEnabled: boolean;
  }>;
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: 'Scope' | 'Role' }> }>;
}

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
  throw todo('01.2');
}

export interface RemoteServerOptions {
  /** Where the server listens, e.g. http://localhost:3000 or https://mcp.contoso.com. */
  serverBaseUrl: string;
  displayName?: string;
}

// TODO(01.2): Describe the remote server (labs 03-05): a web redirect URI for /auth/callback, v2 access
// tokens, the delegated scope mcp.tools, the app roles MCP.Reader and MCP.Admin, and Graph User.Read.
export function remoteServerApplication({ serverBaseUrl, displayName = DISPLAY_NAMES.remoteServer }: RemoteServerOptions): ApplicationBody {
  throw todo('01.2');
}
