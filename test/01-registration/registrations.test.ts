// Step 01.2: the registrations as Graph `application` objects, field by field.
import { expect } from 'vitest';
import { REMOTE_SERVER_ROLES, REMOTE_SERVER_SCOPE } from '#shared/entra/course-apps.ts';
import { GRAPH_SCOPES } from '#shared/entra/microsoft-graph.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';

type Registrations = typeof import('../../labs/01-registration/src/registrations.ts');
const check = checksFor(lab);
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const USER_READ = { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPES['User.Read'], type: 'Scope' }] };

check('01.2.1', async () => {
  const { localClientApplication } = await importTarget<Registrations>(lab, 'src/registrations.ts');
  expect(localClientApplication(), 'the course name by default').toMatchObject({ displayName: 'MCP Workbook Local Client' });
  expect(localClientApplication({ displayName: 'Local (test)' }), 'the local client, field by field').toStrictEqual({
    displayName: 'Local (test)',
    signInAudience: 'AzureADMyOrg',
    publicClient: { redirectUris: ['http://localhost'] },
    isFallbackPublicClient: true,
    requiredResourceAccess: [USER_READ],
  });
});

check('01.2.2', async () => {
  const { remoteServerApplication } = await importTarget<Registrations>(lab, 'src/registrations.ts');
  for (const [serverBaseUrl, redirect] of [
    ['http://localhost:3000', 'http://localhost:3000/auth/callback'],
    ['https://mcp.fabrikam.com/', 'https://mcp.fabrikam.com/auth/callback'],
  ]) {
    const app = remoteServerApplication({ serverBaseUrl: serverBaseUrl!, displayName: 'Server (test)' });
    expect(app.displayName, 'the app keeps the display name it was given').toBe('Server (test)');
    expect(app.signInAudience, 'single tenant').toBe('AzureADMyOrg');
    expect(app.web, `a web (confidential) redirect URI under ${serverBaseUrl}`).toStrictEqual({ redirectUris: [redirect] });
    expect(app.publicClient, 'the server is a confidential client, not a public one').toBeUndefined();
    expect(app.api?.requestedAccessTokenVersion, 'v2 access tokens').toBe(2);
    expect(app.api?.oauth2PermissionScopes, 'one delegated scope, mcp.tools, with its stable id').toMatchObject([
      { id: REMOTE_SERVER_SCOPE.id, value: 'mcp.tools', type: 'User', isEnabled: true },
    ]);
    for (const text of ['adminConsentDisplayName', 'adminConsentDescription', 'userConsentDisplayName', 'userConsentDescription'] as const) {
      expect(app.api?.oauth2PermissionScopes[0]?.[text], `the scope's ${text}: what the consent screen shows`).toBeTruthy();
    }
    expect(app.appRoles?.map(({ id, value, allowedMemberTypes, isEnabled }) => ({ id, value, allowedMemberTypes, isEnabled })), 'two app roles for people').toStrictEqual([
      { id: REMOTE_SERVER_ROLES.reader.id, value: 'MCP.Reader', allowedMemberTypes: ['User'], isEnabled: true },
      { id: REMOTE_SERVER_ROLES.admin.id, value: 'MCP.Admin', allowedMemberTypes: ['User'], isEnabled: true },
    ]);
    expect(app.requiredResourceAccess, 'delegated Graph User.Read (for on-behalf-of /me)').toStrictEqual([USER_READ]);
    expect(app.identifierUris ?? [], 'api://{appId} is set after creation, when the appId is known').toEqual([]);
  }
});
