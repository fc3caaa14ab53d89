// App registrations and service principals through Graph: what lab 01's registration script does.
import { describe, expect, test } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { GRAPH, graphHarness, json } from './graph-harness.ts';

const graph = await graphHarness();
const admin = await graph.userToken('Application.ReadWrite.All');

async function createApp(displayName: string, extra: Record<string, unknown> = {}) {
  const response = await graph.call('POST', '/applications', { token: admin, body: { displayName, ...extra } });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return json(response);
}

describe('POST /applications', () => {
  test('creates the registration: 201 with a generated id, appId and createdDateTime, stored in the model', async () => {
    const app = await createApp('Lab 01 API', { signInAudience: 'AzureADMyOrg', web: { redirectUris: ['http://localhost:3000/cb'] } });
    expect(app).toMatchObject({
      '@odata.context': `${GRAPH}/$metadata#applications/$entity`,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      appId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: 'Lab 01 API',
      publisherDomain: 'contoso.onmicrosoft.com',
      passwordCredentials: [],
      web: { redirectUris: ['http://localhost:3000/cb'], homePageUrl: null },
      api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [] },
    });
    expect(Date.parse(app.createdDateTime)).not.toBeNaN();
    expect(graph.model.applications.find((stored) => stored.appId === app.appId)).toMatchObject({ id: app.id, displayName: 'Lab 01 API' });
  });

  test('a registration needs a displayName; unknown and read-only properties are refused', async () => {
    const noName = await graph.call('POST', '/applications', { token: admin, body: { signInAudience: 'AzureADMyOrg' } });
    expect(noName.status).toBe(400);
    expect((await json(noName)).error).toMatchObject({
      code: 'Request_BadRequest',
      message: "Invalid value specified for property 'displayName' of resource 'Application'.",
    });
    const unknown = await graph.call('POST', '/applications', { token: admin, body: { displayName: 'x', colour: 'blue' } });
    expect((await json(unknown)).error.message).toMatch(/^Property 'colour' does not exist on type 'microsoft.graph.application'/);
    const readOnly = await graph.call('POST', '/applications', { token: admin, body: { displayName: 'x', appId: APPS.remoteServer } });
    expect((await json(readOnly)).error.message).toBe("Property 'appId' is read-only and cannot be set.");
  });

  test('User.Read is not enough to register apps: 403', async () => {
    const response = await graph.call('POST', '/applications', { token: await graph.userToken('User.Read'), body: { displayName: 'x' } });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('Authorization_RequestDenied');
  });

  test('an app-only token with the Application.ReadWrite.All role may register apps', async () => {
    const response = await graph.call('POST', '/applications', { token: await graph.appToken(['Application.ReadWrite.All']), body: { displayName: 'By an app' } });
    expect(response.status).toBe(201);
  });
});

describe('finding a registration (what makes a script idempotent)', () => {
  test('$filter by displayName finds nothing, then the one created; $select and the context follow', async () => {
    const lookup = `/applications?$filter=displayName eq 'Idempotent App'&$select=id,appId,displayName`;
    const before = await json(await graph.call('GET', lookup, { token: admin }));
    expect(before).toEqual({ '@odata.context': `${GRAPH}/$metadata#applications(id,appId,displayName)`, value: [] });
    const created = await createApp('Idempotent App');
    const after = await json(await graph.call('GET', lookup, { token: admin }));
    expect(after.value).toEqual([{ id: created.id, appId: created.appId, displayName: 'Idempotent App' }]);
  });

  test('by appId: with $filter, and with the (appId=\'...\') key', async () => {
    const byFilter = await json(await graph.call('GET', `/applications?$filter=appId eq '${APPS.remoteServer}'`, { token: admin }));
    expect(byFilter.value).toHaveLength(1);
    const byKey = await graph.call('GET', `/applications(appId='${APPS.remoteServer}')?$select=displayName`, { token: admin });
    expect(await json(byKey)).toEqual({
      '@odata.context': `${GRAPH}/$metadata#applications(displayName)/$entity`,
      displayName: 'MCP Workbook Remote Server',
    });
    expect((await graph.call('GET', `/applications/${byFilter.value[0].id}`, { token: admin })).status).toBe(200);
    expect((await graph.call('GET', '/applications/00000000-0000-4000-8000-000000000000', { token: admin })).status).toBe(404);
  });

  test('$filter on a property the fake cannot filter: 400 Request_UnsupportedQuery', async () => {
    const response = await graph.call('GET', "/applications?$filter=notes eq 'x'", { token: admin });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Unsupported or invalid query filter clause specified for property 'notes' of resource 'Application'.",
    });
  });
});

describe('PATCH and DELETE /applications/{id}', () => {
  test('identifierUris: api://{appId} is accepted; another host is not a verified domain; a taken URI is refused', async () => {
    const app = await createApp('URI rules');
    const patch = (identifierUris: string[]) => graph.call('PATCH', `/applications/${app.id}`, { token: admin, body: { identifierUris } });

    const ok = await patch([`api://${app.appId}`]);
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');

    const otherHost = await patch(['https://mcp.example.com']);
    expect(otherHost.status).toBe(400);
    expect((await json(otherHost)).error).toMatchObject({
      code: 'HostNameNotOnVerifiedDomain',
      message: "Values of identifierUris property must use a verified domain of the organization or its subdomain: 'https://mcp.example.com'",
    });
    const someoneElses = await patch([`api://${APPS.remoteServer}`]);
    expect((await json(someoneElses)).error.code).toBe('HostNameNotOnVerifiedDomain');

    const second = await createApp('URI rules 2');
    const taken = await graph.call('PATCH', `/applications/${second.id}`, { token: admin, body: { identifierUris: [`api://${TENANT_ID}/shared`] } });
    expect(taken.status).toBe(204);
    const duplicate = await patch([`api://${TENANT_ID}/shared`]);
    expect(duplicate.status).toBe(400);
    expect((await json(duplicate)).error.message).toBe('Another object with the same value for property identifierUris already exists.');
  });

  test('PATCH changes only what it names; an enabled scope must be disabled before it is removed', async () => {
    const app = await createApp('Scopes');
    const scope = { id: '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f', value: 'mcp.tools', type: 'User', isEnabled: true, adminConsentDisplayName: 'Use tools' };
    const patch = (body: unknown) => graph.call('PATCH', `/applications/${app.id}`, { token: admin, body });
    expect((await patch({ api: { oauth2PermissionScopes: [scope] } })).status).toBe(204);
    expect((await patch({ api: { requestedAccessTokenVersion: 2 } })).status).toBe(204);
    const stored = graph.model.applications.find((candidate) => candidate.id === app.id)!;
    expect(stored.api).toMatchObject({ requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ value: 'mcp.tools' }] });

    const removed = await patch({ api: { oauth2PermissionScopes: [] } });
    expect((await json(removed)).error.code).toBe('CannotDeleteOrUpdateEnabledEntitlement');
    expect((await patch({ api: { oauth2PermissionScopes: [{ ...scope, isEnabled: false }] } })).status).toBe(204);
    expect((await patch({ api: { oauth2PermissionScopes: [] } })).status).toBe(204);
  });

  test('properties Graph stores (notes, tags) come back as given', async () => {
    const app = await createApp('Notes', { notes: 'managed by lab 01', tags: ['workbook'] });
    const read = await json(await graph.call('GET', `/applications/${app.id}?$select=notes,tags,description`, { token: admin }));
    expect(read).toMatchObject({ notes: 'managed by lab 01', tags: ['workbook'], description: null });
  });

  test('DELETE removes the registration and its service principal', async () => {
    const app = await createApp('Short-lived');
    expect((await graph.call('POST', '/servicePrincipals', { token: admin, body: { appId: app.appId } })).status).toBe(201);
    expect((await graph.call('DELETE', `/applications/${app.id}`, { token: admin })).status).toBe(204);
    expect((await graph.call('GET', `/applications/${app.id}`, { token: admin })).status).toBe(404);
    expect(graph.model.servicePrincipals.some((principal) => principal.appId === app.appId)).toBe(false);
  });
});

describe('client secrets', () => {
  test('addPassword returns the secret once; the tenant keeps only its hash; later reads show the hint', async () => {
    const app = await createApp('With a secret');
    const response = await graph.call('POST', `/applications/${app.id}/addPassword`, {
      token: admin,
      body: { passwordCredential: { displayName: 'lab 01' } },
    });
    expect(response.status).toBe(200);
    const credential = await json(response);
    expect(credential).toMatchObject({
      '@odata.context': `${GRAPH}/$metadata#microsoft.graph.passwordCredential`,
      displayName: 'lab 01',
      customKeyIdentifier: null,
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const secret: string = credential.secretText;
    expect(secret).toMatch(/^[A-Za-z0-9]{3}\dQ~[A-Za-z0-9~._-]{34}$/);
    expect(credential.hint).toBe(secret.slice(0, 3));
    // Graph's default lifetime: two years.
    const lifetimeDays = (Date.parse(credential.endDateTime) - Date.parse(credential.startDateTime)) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThanOrEqual(730);
    expect(lifetimeDays).toBeLessThanOrEqual(731);

    expect(JSON.stringify(graph.model)).not.toContain(secret);
    const read = await json(await graph.call('GET', `/applications/${app.id}?$select=passwordCredentials`, { token: admin }));
    expect(read.passwordCredentials).toEqual([
      { customKeyIdentifier: null, displayName: 'lab 01', endDateTime: credential.endDateTime, hint: credential.hint, keyId: credential.keyId, secretText: null, startDateTime: credential.startDateTime },
    ]);
    expect(JSON.stringify(read)).not.toMatch(/secretHash/);

    expect((await graph.call('POST', `/applications/${app.id}/removePassword`, { token: admin, body: { keyId: credential.keyId } })).status).toBe(204);
    expect(graph.model.applications.find((candidate) => candidate.id === app.id)!.passwordCredentials).toEqual([]);
  });

  test('a secret that would live more than two years is refused by the tenant\'s policy', async () => {
    const app = await createApp('Long secret');
    const endDateTime = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    const response = await graph.call('POST', `/applications(appId='${app.appId}')/addPassword`, { token: admin, body: { passwordCredential: { endDateTime } } });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({
      code: 'CredentialInvalidLifetimeAsPerAppPolicy',
      message: expect.stringMatching(/^Credential lifetime exceeds the max value allowed as per assigned policy '[0-9a-f-]+'\.$/),
    });
  });

  test('the token endpoint accepts an app and a secret created through Graph', async () => {
    const tenant = await FakeTenant.create({ model: graph.model }); // the same directory, behind Entra's endpoints
    const app = await createApp('Confidential client');
    await graph.call('PATCH', `/applications/${app.id}`, { token: admin, body: { identifierUris: [`api://${app.appId}`] } });
    const { secretText } = await json(await graph.call('POST', `/applications/${app.id}/addPassword`, { token: admin, body: {} }));
    await graph.call('POST', '/servicePrincipals', { token: admin, body: { appId: app.appId } });
    const token = (clientSecret: string) =>
      tenant.handle(
        new Request(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.appId, client_secret: clientSecret, scope: `api://${app.appId}/.default` }),
        }),
      );
    expect((await token(secretText)).status).toBe(200);
    expect((await token(`${secretText}x`)).status).toBe(401);
  });
});

describe('service principals', () => {
  test('POST creates one per app; a second is a 409 conflict; $filter by appId finds it', async () => {
    const app = await createApp('Needs a principal');
    const created = await graph.call('POST', '/servicePrincipals', { token: admin, body: { appId: app.appId, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] } });
    expect(created.status).toBe(201);
    const principal = await json(created);
    expect(principal).toMatchObject({
      '@odata.context': `${GRAPH}/$metadata#servicePrincipals/$entity`,
      appId: app.appId,
      displayName: 'Needs a principal',
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: TENANT_ID,
    });
    const again = await graph.call('POST', '/servicePrincipals', { token: admin, body: { appId: app.appId } });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({
      code: 'Request_MultipleObjectsWithSameKeyValue',
      message: `The service principal cannot be created, updated, or restored because the service principal name ${app.appId} is already in use.`,
    });
    const found = await json(await graph.call('GET', `/servicePrincipals?$filter=appId eq '${app.appId}'&$select=id`, { token: admin }));
    expect(found).toEqual({ '@odata.context': `${GRAPH}/$metadata#servicePrincipals(id)`, value: [{ id: principal.id }] });
    expect(graph.model.servicePrincipals.filter((stored) => stored.appId === app.appId)).toHaveLength(1);
  });

  test('an appId with no registration behind it: 400', async () => {
    const response = await graph.call('POST', '/servicePrincipals', { token: admin, body: { appId: '00000000-1111-4222-8333-444444444444' } });
    expect(response.status).toBe(400);
  });
});
