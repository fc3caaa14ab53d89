// An app registration as Graph shows it (`microsoft.graph.application`): the model's fields, the
// properties the fake keeps without acting on them, and Graph's defaults for the rest. Client
// secrets appear only as Graph shows them after creation: a hint, never the secret or its hash.
import type { EntityType } from './query.ts';
import type { Application, PasswordCredential, TenantModel } from '../model.ts';

/** Properties Graph stores for an application that the fake keeps as given (their Graph defaults). */
export const STORED_AS_GIVEN: Record<string, unknown> = {
  description: null,
  notes: null,
  tags: [],
  groupMembershipClaims: null,
  isDeviceOnlyAuthSupported: null,
  serviceManagementReference: null,
  optionalClaims: null,
  info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
  parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
};

export function passwordCredentialView(credential: PasswordCredential, secretText: string | null = null) {
  const { keyId, displayName, hint, startDateTime, endDateTime } = credential;
  return { customKeyIdentifier: null, displayName, endDateTime, hint, keyId, secretText, startDateTime };
}

export function applicationView(model: TenantModel, app: Application): Record<string, unknown> {
  return {
    id: app.id,
    deletedDateTime: null,
    appId: app.appId,
    applicationTemplateId: null,
    createdDateTime: app.createdDateTime,
    displayName: app.displayName,
    identifierUris: app.identifierUris,
    isFallbackPublicClient: app.isFallbackPublicClient,
    publisherDomain: model.domain,
    signInAudience: app.signInAudience,
    tokenEncryptionKeyId: null,
    ...STORED_AS_GIVEN,
    ...app.otherProperties,
    api: { acceptMappedClaims: null, knownClientApplications: [], ...app.api },
    appRoles: app.appRoles,
    keyCredentials: [],
    passwordCredentials: app.passwordCredentials.map((credential) => passwordCredentialView(credential)),
    publicClient: app.publicClient,
    requiredResourceAccess: app.requiredResourceAccess,
    spa: app.spa,
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: app.web.redirectUris,
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
  };
}

export const APPLICATION: EntityType = {
  typeName: 'microsoft.graph.application',
  resource: 'Application',
  properties: [
    'id', 'deletedDateTime', 'appId', 'applicationTemplateId', 'createdDateTime', 'displayName', 'identifierUris',
    'isFallbackPublicClient', 'publisherDomain', 'signInAudience', 'tokenEncryptionKeyId', ...Object.keys(STORED_AS_GIVEN),
    'api', 'appRoles', 'keyCredentials', 'passwordCredentials', 'publicClient', 'requiredResourceAccess', 'spa', 'web',
  ],
  filterable: ['id', 'appId', 'displayName', 'publisherDomain', 'signInAudience'],
};
