// What a POST or PATCH to /applications may set, checked the way Graph checks it, before anything
// changes: property names and types, identifier URIs (the rules an Entra tenant applies by default,
// and uniqueness across the tenant), and that an enabled scope or role is disabled before it is removed.
import { z } from 'zod';
import { STORED_AS_GIVEN } from './application-view.ts';
import { badRequest, GraphError, invalidValue } from './errors.ts';
import type { Application, TenantModel } from '../model.ts';

const text = z.string().nullish().transform((value) => value ?? '');
const redirectUris = z.array(z.string());

const permissionScope = z.object({
  id: z.guid(),
  value: z.string().min(1),
  type: z.enum(['User', 'Admin']).default('User'),
  isEnabled: z.boolean().default(true),
  adminConsentDisplayName: text,
  adminConsentDescription: text,
  userConsentDisplayName: text,
  userConsentDescription: text,
});

const appRole = z.object({
  id: z.guid(),
  value: z.string().min(1),
  displayName: text,
  description: text,
  allowedMemberTypes: z.array(z.enum(['User', 'Application'])).min(1),
  isEnabled: z.boolean().default(true),
});

/** The properties the fake tenant acts on. Sub-properties it does not hold (e.g. `web.homePageUrl`) are dropped. */
const applicationChanges = z
  .object({
    displayName: z.string().trim().min(1),
    signInAudience: z.enum(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount']),
    identifierUris: z.array(z.string()),
    isFallbackPublicClient: z.boolean().nullable().transform((value) => value ?? false),
    web: z.object({ redirectUris }).partial(),
    publicClient: z.object({ redirectUris }).partial(),
    spa: z.object({ redirectUris }).partial(),
    api: z
      .object({
        requestedAccessTokenVersion: z.union([z.literal(1), z.literal(2), z.null()]),
        oauth2PermissionScopes: z.array(permissionScope),
        preAuthorizedApplications: z.array(z.object({ appId: z.guid(), delegatedPermissionIds: z.array(z.guid()) })),
      })
      .partial(),
    appRoles: z.array(appRole),
    requiredResourceAccess: z.array(
      z.object({
        resourceAppId: z.guid(),
        resourceAccess: z.array(z.object({ id: z.guid(), type: z.enum(['Scope', 'Role']) })),
      }),
    ),
  })
  .partial();

const READ_ONLY = ['id', 'appId', 'createdDateTime', 'deletedDateTime', 'publisherDomain', 'applicationTemplateId'];

/** Validates a request body against `app` and applies it; throws Graph's error before changing anything. */
export function applyApplicationChanges(model: TenantModel, app: Application, body: Record<string, unknown>): void {
  const actedOn: Record<string, unknown> = {};
  const storedAsGiven: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(body)) {
    if (property.startsWith('@odata.')) continue; // annotations such as @odata.type
    if (Object.hasOwn(applicationChanges.shape, property)) actedOn[property] = value;
    else if (Object.hasOwn(STORED_AS_GIVEN, property)) storedAsGiven[property] = value;
    else throw unsettable(property);
  }
  const parsed = applicationChanges.safeParse(actedOn);
  if (!parsed.success) throw invalidValue(parsed.error.issues[0]!.path.join('.'), 'Application');
  const { web, publicClient, spa, api, ...simple } = parsed.data;

  if (simple.identifierUris) checkIdentifierUris(model, app, simple.identifierUris);
  if (api?.oauth2PermissionScopes) checkDisabledBeforeChange(app.api.oauth2PermissionScopes, api.oauth2PermissionScopes);
  if (simple.appRoles) checkDisabledBeforeChange(app.appRoles, simple.appRoles);

  Object.assign(app, simple);
  // A complex property in a PATCH changes only the sub-properties it names.
  if (web) app.web = { ...app.web, ...web };
  if (publicClient) app.publicClient = { ...app.publicClient, ...publicClient };
  if (spa) app.spa = { ...app.spa, ...spa };
  if (api) app.api = { ...app.api, ...api };
  if (Object.keys(storedAsGiven).length > 0) app.otherProperties = { ...app.otherProperties, ...storedAsGiven };
}

function unsettable(property: string): GraphError {
  if (READ_ONLY.includes(property)) return badRequest(`Property '${property}' is read-only and cannot be set.`);
  if (property === 'passwordCredentials') {
    return badRequest('The fake tenant adds client secrets only through addPassword: POST /applications/{id}/addPassword.');
  }
  if (property === 'keyCredentials') return badRequest('The fake tenant does not support certificate credentials (keyCredentials).');
  return badRequest(
    `Property '${property}' does not exist on type 'microsoft.graph.application'. Make sure to only use property ` +
      'names that are defined by the type or mark the type as open type.',
  );
}

/**
 * Entra's default rule for identifier URIs: `api://{appId}`, `api://{tenantId}/{name}`,
 * `api://{name}/{appId}`, or an https URI on a verified domain of the tenant (or a subdomain).
 */
function isAllowedIdentifierUri(model: TenantModel, app: Application, uri: string): boolean {
  const lower = uri.toLowerCase();
  if (lower.startsWith('api://')) {
    const rest = lower.slice('api://'.length);
    return rest === app.appId || rest.endsWith(`/${app.appId}`) || (rest.startsWith(`${model.tenantId}/`) && rest.length > model.tenantId.length + 1);
  }
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  const domain = model.domain.toLowerCase();
  return url.protocol === 'https:' && (url.hostname === domain || url.hostname.endsWith(`.${domain}`));
}

function checkIdentifierUris(model: TenantModel, app: Application, uris: string[]): void {
  for (const uri of uris) {
    if (!isAllowedIdentifierUri(model, app, uri)) {
      throw new GraphError(
        400,
        'HostNameNotOnVerifiedDomain',
        `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`,
      );
    }
    const taken = [...model.applications, ...model.firstPartyApis].some(
      (other) => other.id !== app.id && other.identifierUris.some((existing) => existing.toLowerCase() === uri.toLowerCase()),
    );
    if (taken) {
      throw new GraphError(400, 'Request_BadRequest', 'Another object with the same value for property identifierUris already exists.', {}, [
        { code: 'ObjectConflict', target: 'identifierUris' },
      ]);
    }
  }
}

/** Entra refuses to remove or rename an enabled scope or role: tokens and consents may depend on it. */
function checkDisabledBeforeChange(
  current: Array<{ id: string; value: string; isEnabled: boolean }>,
  next: Array<{ id: string; value: string }>,
): void {
  for (const entry of current.filter((candidate) => candidate.isEnabled)) {
    const kept = next.find((candidate) => candidate.id === entry.id);
    if (!kept || kept.value !== entry.value) {
      throw new GraphError(
        400,
        'CannotDeleteOrUpdateEnabledEntitlement',
        'Permission (scope or role) cannot be deleted or updated unless disabled first.',
      );
    }
  }
}
