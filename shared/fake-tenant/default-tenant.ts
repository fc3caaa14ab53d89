// The built-in tenant every learner gets: Contoso, three people, and the app registrations the labs
// use. Ids are fixed so a check, a hand run and the course text can all name the same values.
import type { AppRole, Application, FakeUser, PermissionScope, TenantModel } from './model.ts';
import { hashSecret, newApplication } from './model.ts';
import { APPS, REMOTE_SERVER_SECRET, TENANT_DOMAIN, TENANT_ID } from '../entra/built-in-tenant.ts';
import { DISPLAY_NAMES, REMOTE_SERVER_ROLES, REMOTE_SERVER_SCOPE } from '../entra/course-apps.ts';
import { GRAPH_APP_ID, GRAPH_APP_ROLES, GRAPH_SCOPES } from '../entra/microsoft-graph.ts';

// The ids are declared once, in shared/entra/ (code that runs against a real tenant uses them too);
// re-exported here so a check finds everything about the built-in tenant in one place.
export { APPS, GRAPH_APP_ROLES, GRAPH_SCOPES, REMOTE_SERVER_ROLES, REMOTE_SERVER_SCOPE, REMOTE_SERVER_SECRET, TENANT_DOMAIN, TENANT_ID };

export const USERS = {
  adele: '1d3f5a7c-9e0b-4c2d-8f6a-3b5c7d9e1f20',
  megan: '2e4a6c8e-0f1a-4b3c-9d5e-7f9a1b3c5d71',
  alex: '3f5b7d9f-1a2b-4c4d-8e6f-8a0b2c4d6e82',
} as const;

const CREATED = '2026-01-15T09:00:00Z';

function user(id: string, given: string, surname: string, job: string, office: string): FakeUser {
  const alias = given.toLowerCase();
  return {
    id,
    userPrincipalName: `${alias}@${TENANT_DOMAIN}`,
    displayName: `${given} ${surname}`,
    givenName: given,
    surname,
    mail: `${alias}@${TENANT_DOMAIN}`,
    jobTitle: job,
    officeLocation: office,
    mobilePhone: null,
    businessPhones: ['+1 425 555 0100'],
    preferredLanguage: 'en-US',
    password: 'workbook',
  };
}

function scope(id: string, value: string, type: 'User' | 'Admin', what: string): PermissionScope {
  return {
    id,
    value,
    type,
    isEnabled: true,
    adminConsentDisplayName: what,
    adminConsentDescription: what,
    userConsentDisplayName: what,
    userConsentDescription: what,
  };
}

function role(id: string, value: string, displayName: string): AppRole {
  return { id, value, displayName, description: displayName, allowedMemberTypes: ['User'], isEnabled: true };
}

/** The workbook's registrations ask for v2 access tokens, as lab 01 teaches. */
function application(fields: Partial<Application> & Pick<Application, 'id' | 'appId' | 'displayName'>): Application {
  return newApplication({
    createdDateTime: CREATED,
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    ...fields,
  });
}

const graphUserRead = { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPES['User.Read'], type: 'Scope' as const }] };

/** Microsoft Graph as the tenant sees it: the scopes and roles it exposes. */
function microsoftGraph(): Application {
  return application({
    id: '0b7c4d1e-2f3a-4b5c-9d6e-7f8a9b0c1d2e',
    appId: GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    signInAudience: 'AzureADMultipleOrgs',
    identifierUris: ['https://graph.microsoft.com', 'https://graph.microsoft.com/'],
    api: {
      requestedAccessTokenVersion: 1, // Graph's tokens are v1 tokens
      oauth2PermissionScopes: Object.entries(GRAPH_SCOPES).map(([value, id]) =>
        scope(id, value, value.endsWith('.All') ? 'Admin' : 'User', value),
      ),
      preAuthorizedApplications: [],
    },
    appRoles: Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({
      ...role(id, value, value),
      allowedMemberTypes: ['Application' as const],
    })),
  });
}

/** A fresh copy of the built-in tenant (checks mutate it freely). */
export function createDefaultModel(): TenantModel {
  const remote = APPS.remoteServer;
  const applications: Application[] = [
      application({
        id: 'a7c5e3b1-9f8d-4e6c-b4a2-0e9c8b7a6f51',
        appId: APPS.localClient,
        displayName: DISPLAY_NAMES.localClient,
        isFallbackPublicClient: true,
        publicClient: { redirectUris: ['http://localhost'] },
        requiredResourceAccess: [graphUserRead],
      }),
      application({
        id: 'b8d6f4c2-0a9e-4f7d-85b3-1f0d9c8b7a62',
        appId: remote,
        displayName: DISPLAY_NAMES.remoteServer,
        identifierUris: [`api://${remote}`],
        web: {
          redirectUris: ['http://localhost:3000/auth/callback', 'https://localhost:3443/auth/callback'],
        },
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            scope(REMOTE_SERVER_SCOPE.id, REMOTE_SERVER_SCOPE.value, 'User', 'Use the MCP server\'s tools'),
          ],
          preAuthorizedApplications: [{ appId: APPS.mcpClient, delegatedPermissionIds: [REMOTE_SERVER_SCOPE.id] }],
        },
        appRoles: [
          role(REMOTE_SERVER_ROLES.reader.id, REMOTE_SERVER_ROLES.reader.value, 'MCP readers'),
          role(REMOTE_SERVER_ROLES.admin.id, REMOTE_SERVER_ROLES.admin.value, 'MCP administrators'),
        ],
        requiredResourceAccess: [graphUserRead],
        passwordCredentials: [
          {
            keyId: 'd9e8f7a6-b5c4-4d3e-9f2a-1b0c9d8e7f63',
            displayName: 'workbook',
            hint: REMOTE_SERVER_SECRET.slice(0, 3),
            startDateTime: CREATED,
            endDateTime: '2027-07-15T09:00:00Z',
            secretHash: hashSecret(REMOTE_SERVER_SECRET),
          },
        ],
      }),
      application({
        id: 'c9e7a5d3-1b0f-4a8e-96c4-2a1e0d9c8b73',
        appId: APPS.mcpClient,
        displayName: 'MCP Workbook Client',
        isFallbackPublicClient: true,
        publicClient: { redirectUris: ['http://localhost', 'http://127.0.0.1'] },
        requiredResourceAccess: [
          { resourceAppId: remote, resourceAccess: [{ id: REMOTE_SERVER_SCOPE.id, type: 'Scope' }] },
        ],
      }),
      application({
        id: 'd0f8b6e4-2c1a-4b9f-a7d5-3b2f1e0d9c84',
        appId: APPS.registrar,
        displayName: 'MCP Workbook Registrar',
        isFallbackPublicClient: true,
        publicClient: { redirectUris: ['http://localhost'] },
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccess: [{ id: GRAPH_SCOPES['Application.ReadWrite.All'], type: 'Scope' }],
          },
        ],
      }),
  ];
  return {
    tenantId: TENANT_ID,
    domain: TENANT_DOMAIN,
    displayName: 'Contoso (workbook tenant)',
    users: [
      user(USERS.adele, 'Adele', 'Vance', 'Retail Manager', '18/2111'),
      user(USERS.megan, 'Megan', 'Bowen', 'Marketing Manager', '12/1110'),
      user(USERS.alex, 'Alex', 'Wilber', 'Marketing Assistant', '131/1104'),
    ],
    applications,
    firstPartyApis: [microsoftGraph()],
    // Each registered app already has its service principal (its instance in this tenant).
    servicePrincipals: applications.map((app, index) => ({
      id: `5e${String(index).padStart(6, '0')}-0000-4000-8000-${app.appId.slice(-12)}`,
      appId: app.appId,
      displayName: app.displayName,
      servicePrincipalType: 'Application' as const,
    })),
    roleAssignments: [
      { principalId: USERS.adele, resourceAppId: remote, appRoleId: REMOTE_SERVER_ROLES.reader.id },
      { principalId: USERS.adele, resourceAppId: remote, appRoleId: REMOTE_SERVER_ROLES.admin.id },
      { principalId: USERS.megan, resourceAppId: remote, appRoleId: REMOTE_SERVER_ROLES.reader.id },
      // Alex holds no role: the user a role check must refuse.
    ],
    consents: [
      // An administrator consented, for everyone, to what each app's registration requires.
      { clientAppId: APPS.localClient, resourceAppId: GRAPH_APP_ID, scopes: ['User.Read'], principalId: 'AllPrincipals' },
      { clientAppId: remote, resourceAppId: GRAPH_APP_ID, scopes: ['User.Read'], principalId: 'AllPrincipals' },
      { clientAppId: APPS.mcpClient, resourceAppId: remote, scopes: ['mcp.tools'], principalId: 'AllPrincipals' },
      {
        clientAppId: APPS.registrar,
        resourceAppId: GRAPH_APP_ID,
        scopes: ['Application.ReadWrite.All'],
        principalId: 'AllPrincipals',
      },
    ],
  };
}
