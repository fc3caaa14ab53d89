// Graph's service principals: an app's instance in a tenant. A registration script creates one for
// each new app (`POST /servicePrincipals { appId }`), once: a second one for the same app is a conflict.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { READ_APPLICATIONS, WRITE_APPLICATIONS } from './applications.ts';
import { requirePermission } from './auth.ts';
import { readJsonBody, type GraphCall } from './call.ts';
import { GraphError, invalidValue, resourceNotFound } from './errors.ts';
import { parseQuery, type EntityType } from './query.ts';
import { collectionResponse, entityResponse } from './responses.ts';
import type { ServicePrincipal, TenantModel } from '../model.ts';

const SERVICE_PRINCIPAL: EntityType = {
  typeName: 'microsoft.graph.servicePrincipal',
  resource: 'ServicePrincipal',
  properties: [
    'id', 'deletedDateTime', 'accountEnabled', 'appDisplayName', 'appId', 'appOwnerOrganizationId',
    'appRoleAssignmentRequired', 'displayName', 'servicePrincipalNames', 'servicePrincipalType',
    'signInAudience', 'tags', 'appRoles', 'oauth2PermissionScopes', 'replyUrls',
  ],
  filterable: ['id', 'appId', 'displayName', 'servicePrincipalType'],
};

function servicePrincipalView(model: TenantModel, principal: ServicePrincipal): Record<string, unknown> {
  const app = model.applications.find((candidate) => candidate.appId === principal.appId);
  return {
    id: principal.id,
    deletedDateTime: null,
    accountEnabled: true,
    appDisplayName: app?.displayName ?? principal.displayName,
    appId: principal.appId,
    appOwnerOrganizationId: model.tenantId,
    appRoleAssignmentRequired: false,
    displayName: principal.displayName,
    servicePrincipalNames: [principal.appId, ...(app?.identifierUris ?? [])],
    servicePrincipalType: principal.servicePrincipalType,
    signInAudience: app?.signInAudience ?? 'AzureADMyOrg',
    tags: [],
    appRoles: app?.appRoles ?? [],
    oauth2PermissionScopes: app?.api.oauth2PermissionScopes ?? [],
    replyUrls: app ? [...app.web.redirectUris, ...app.publicClient.redirectUris, ...app.spa.redirectUris] : [],
  };
}

export async function listServicePrincipals(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, READ_APPLICATIONS);
  const { model } = call.ctx;
  const views = model.servicePrincipals.map((principal) => servicePrincipalView(model, principal));
  return collectionResponse(call, 'servicePrincipals', views, parseQuery(call.url, SERVICE_PRINCIPAL));
}

/** `/servicePrincipals/{id}` or `/servicePrincipals(appId='{appId}')`. */
export async function getServicePrincipal(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, READ_APPLICATIONS);
  const { model } = call.ctx;
  const [id, appId] = call.params;
  const principal = model.servicePrincipals.find((candidate) => (id !== undefined ? candidate.id === id : candidate.appId === appId));
  if (!principal) throw resourceNotFound((id ?? appId)!);
  return entityResponse(call, 'servicePrincipals', servicePrincipalView(model, principal), parseQuery(call.url, SERVICE_PRINCIPAL).select);
}

/** Only `appId` is read; other properties in the body (e.g. `tags`) are accepted and not kept. */
export async function createServicePrincipal(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const { model } = call.ctx;
  const parsed = z.object({ appId: z.string() }).safeParse(await readJsonBody(call));
  if (!parsed.success) throw invalidValue('appId', 'ServicePrincipal');
  const { appId } = parsed.data;
  const app = model.applications.find((candidate) => candidate.appId === appId);
  if (!app) {
    throw new GraphError(400, 'Request_BadRequest', `The appId '${appId}' of the service principal does not reference a valid application object.`);
  }
  if (model.servicePrincipals.some((principal) => principal.appId === appId)) {
    throw new GraphError(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`,
    );
  }
  const principal: ServicePrincipal = { id: randomUUID(), appId, displayName: app.displayName, servicePrincipalType: 'Application' };
  model.servicePrincipals.push(principal);
  return entityResponse(call, 'servicePrincipals', servicePrincipalView(model, principal), undefined, undefined, 201);
}
