// /me and /users: default properties, $select, and who may read whom.
import { describe, expect, test } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { GRAPH, graphHarness, json } from './graph-harness.ts';

const graph = await graphHarness();

describe('GET /me', () => {
  test('returns the signed-in user with Graph\'s default properties, and never the password', async () => {
    const response = await graph.call('GET', '/me', { token: await graph.userToken('User.Read') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
    const body = await json(response);
    expect(Object.keys(body)).toEqual([
      '@odata.context', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone',
      'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
    ]);
    expect(body).toMatchObject({
      '@odata.context': `${GRAPH}/$metadata#users/$entity`,
      id: USERS.adele,
      displayName: 'Adele Vance',
      userPrincipalName: 'adele@contoso.onmicrosoft.com',
      mobilePhone: null,
    });
    expect(JSON.stringify(body)).not.toMatch(/password|workbook/i);
  });

  test('$select returns only those properties, named in @odata.context', async () => {
    const token = await graph.userToken('User.Read', USERS.megan);
    const body = await json(await graph.call('GET', '/me?$select=displayName,mail', { token }));
    expect(body).toEqual({
      '@odata.context': `${GRAPH}/$metadata#users(displayName,mail)/$entity`,
      displayName: 'Megan Bowen',
      mail: 'megan@contoso.onmicrosoft.com',
    });
  });

  test('a real property the tenant holds no value for is null; an unknown one is a 400', async () => {
    const token = await graph.userToken('User.Read');
    expect(await json(await graph.call('GET', '/me?%24select=department', { token }))).toMatchObject({ department: null });
    const response = await graph.call('GET', '/me?$select=displayName,password', { token });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({
      code: 'BadRequest',
      message: "Could not find a property named 'password' on type 'microsoft.graph.user'.",
    });
  });

  test('an app-only token gets 400: /me needs a signed-in user', async () => {
    const response = await graph.call('GET', '/me', { token: await graph.appToken(['User.Read.All']) });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'BadRequest', message: '/me request is only valid with delegated authentication flow.' });
  });

  test('a token without a user permission gets 403 Authorization_RequestDenied', async () => {
    const response = await graph.call('GET', '/me', { token: await graph.userToken('openid profile Application.ReadWrite.All') });
    expect(response.status).toBe(403);
    expect((await json(response)).error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
  });
});

describe('GET /users/{id | userPrincipalName}', () => {
  test('User.Read reads the signed-in user only; another user takes User.ReadBasic.All', async () => {
    const readSelf = await graph.userToken('User.Read');
    expect((await graph.call('GET', `/users/${USERS.adele}`, { token: readSelf })).status).toBe(200);
    expect((await graph.call('GET', `/users/${USERS.megan}`, { token: readSelf })).status).toBe(403);
    const readBasicAll = await graph.userToken('User.ReadBasic.All');
    const megan = await json(await graph.call('GET', '/users/MEGAN@contoso.onmicrosoft.com', { token: readBasicAll }));
    expect(megan).toMatchObject({ '@odata.context': `${GRAPH}/$metadata#users/$entity`, id: USERS.megan, displayName: 'Megan Bowen' });
  });

  test('an app with the User.Read.All role reads any user', async () => {
    const response = await graph.call('GET', `/users/${USERS.alex}?$select=id,jobTitle`, { token: await graph.appToken(['User.Read.All']) });
    expect(await json(response)).toEqual({
      '@odata.context': `${GRAPH}/$metadata#users(id,jobTitle)/$entity`,
      id: USERS.alex,
      jobTitle: 'Marketing Assistant',
    });
  });

  test('an unknown user: 404 Request_ResourceNotFound', async () => {
    const response = await graph.call('GET', '/users/nobody@contoso.onmicrosoft.com', { token: await graph.userToken('User.ReadBasic.All') });
    expect(response.status).toBe(404);
    expect((await json(response)).error).toMatchObject({
      code: 'Request_ResourceNotFound',
      message: "Resource 'nobody@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.",
    });
  });
});

describe('GET /users', () => {
  test('$filter, $top and @odata.nextLink page through the directory', async () => {
    const token = await graph.userToken('User.ReadBasic.All');
    const first = await json(await graph.call('GET', '/users?$select=displayName&$top=2', { token }));
    expect(first['@odata.context']).toBe(`${GRAPH}/$metadata#users(displayName)`);
    expect(first.value).toEqual([{ displayName: 'Adele Vance' }, { displayName: 'Megan Bowen' }]);
    const next = new URL(first['@odata.nextLink']);
    const second = await json(await graph.call('GET', `${next.pathname.replace('/v1.0', '')}${next.search}`, { token }));
    expect(second.value).toEqual([{ displayName: 'Alex Wilber' }]);
    expect(second['@odata.nextLink']).toBeUndefined();

    const filtered = await json(await graph.call('GET', "/users?$filter=givenName eq 'megan'", { token }));
    expect(filtered.value.map((user: { id: string }) => user.id)).toEqual([USERS.megan]);
  });

  test('a filter the fake does not understand is Request_UnsupportedQuery; a bad $top is BadRequest', async () => {
    const token = await graph.userToken('User.ReadBasic.All');
    const unsupported = await graph.call('GET', "/users?$filter=startswith(displayName,'A')", { token });
    expect(unsupported.status).toBe(400);
    expect((await json(unsupported)).error.code).toBe('Request_UnsupportedQuery');
    const badTop = await graph.call('GET', '/users?$top=0', { token });
    expect((await json(badTop)).error.message).toBe("Invalid page size specified: '0'. Must be between 1 and 999 inclusive.");
  });
});
