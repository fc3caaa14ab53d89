// Every AADSTS error the fake tenant answers with, in one place: a name for the situation, Entra's code,
// its OAuth `error`, and the description Entra writes after "AADSTSnnnnn: ". The handlers throw
// `aadsts('codeRedeemed')`, never a bare number; docs/fake-tenant.md lists the same codes, and
// test/shared/fake-tenant/aadsts.test.ts keeps the two in step. The wording follows Entra's where we know
// it. Never put a secret, token, code or `state` in a description: it reaches the app and its logs.
import { EntraError } from './errors.ts';

interface AadstsEntry {
  code: number;
  /** The OAuth `error` value the app receives. */
  error: string;
  description: (...details: never[]) => string;
  /** Entra's `suberror` (msal-node reads it: `consent_required`, `bad_token`). */
  suberror?: string;
}

/** What a person must do again (msal-node asks for interaction on `bad_token`). */
const BAD_TOKEN = 'bad_token';

function consentDescription(client: { appId: string; displayName: string }): string {
  return (
    `The user or administrator has not consented to use the application with ID '${client.appId}' named ` +
    `'${client.displayName}'. Send an interactive authorization request for this user and resource.`
  );
}

export const AADSTS = {
  // The request: which tenant, which client, which parameters.
  missingParameter: {
    code: 900144, error: 'invalid_request',
    description: (name: string) => `The request body must contain the following parameter: '${name}'.`,
  },
  missingParameterValue: {
    code: 900144, error: 'invalid_request',
    description: (name: string, value: string) => `The request body must contain the following parameter: '${name}' with the value '${value}'.`,
  },
  unsupportedResponseMode: {
    code: 900144, error: 'invalid_request',
    description: (responseMode: string) => `The response_mode '${responseMode}' is not supported: use query, fragment or form_post.`,
  },
  tenantNotFound: {
    code: 90002, error: 'invalid_tenant',
    description: (tenant: string) => `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  },
  unknownClient: {
    code: 700016, error: 'unauthorized_client',
    description: (clientId: string, tenant: string) =>
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the ` +
      'application has not been installed by the administrator of the tenant or consented to by any user in the ' +
      'tenant. You may have sent your authentication request to the wrong tenant.',
  },

  // /authorize: the sign-in request.
  redirectUriNotRegistered: {
    code: 50011, error: 'invalid_request',
    description: (redirectUri: string, appId: string) =>
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for ` +
      `the application '${appId}'. Make sure the redirect URI sent in the request matches one added to ` +
      'your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more ' +
      'about how to fix this.',
  },
  unsupportedResponseType: {
    code: 700054, error: 'unsupported_response_type',
    description: (responseType: string) => `response_type '${responseType}' is not enabled for the application.`,
  },
  pkceMethodNotS256: {
    code: 9002325, error: 'invalid_request',
    description: () => "The code_challenge_method must be 'S256'.",
  },
  pkceRequired: {
    code: 9002325, error: 'invalid_request',
    description: () => 'Proof Key for Code Exchange is required for a public client: send code_challenge with code_challenge_method S256.',
  },
  invalidPrompt: {
    code: 90023, error: 'invalid_request',
    description: (prompt: string) => `Invalid prompt '${prompt}': use login, none, consent or select_account.`,
  },
  loginRequired: {
    code: 50058, error: 'login_required',
    description: () => 'A silent sign-in request was sent but no user is signed in.',
  },
  consentDeclined: {
    code: 65004, error: 'access_denied',
    description: () => 'User declined to consent to access the app.',
  },
  /** At /authorize: the redirect says `consent_required`. */
  consentRequiredAtAuthorize: {
    code: 65001, error: 'consent_required',
    description: consentDescription,
  },

  // Scopes and resources (RFC 8707), at /authorize and /token.
  scopeNotFound: {
    code: 70011, error: 'invalid_scope',
    description: (scope: string, appId: string) =>
      `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' does not exist on the resource '${appId}'.`,
  },
  defaultScopeCombined: {
    code: 70011, error: 'invalid_scope',
    description: (scopes: string) =>
      `The provided value for the input parameter 'scope' is not valid. The scope '${scopes}' is not valid: .default cannot be combined with other resource scopes.`,
  },
  resourceNotFound: {
    code: 500011, error: 'invalid_resource',
    description: (resource: string, tenantName: string) =>
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can ` +
      'happen if the application has not been installed by the administrator of the tenant or consented to by ' +
      'any user in the tenant. You might have sent your authentication request to the wrong tenant.',
  },
  twoResources: {
    code: 28000, error: 'invalid_scope',
    description: (scopes: string) =>
      `Provided value for the input parameter scope is not valid because it contains more than one resource. ` +
      `Scope ${scopes} is not valid.`,
  },
  resourceMismatch: {
    code: 9010010, error: 'invalid_target',
    description: () => "The resource parameter provided in the request doesn't match with the requested scopes.",
  },
  /** At /token: msal-node turns `consent_required` into an InteractionRequiredAuthError. */
  consentRequired: {
    code: 65001, error: 'invalid_grant', suberror: 'consent_required',
    description: consentDescription,
  },

  // /token: the client and the grant type.
  unsupportedGrantType: {
    code: 70003, error: 'unsupported_grant_type',
    description: (grantType: string) => `The app requested an unsupported grant type '${grantType}'.`,
  },
  publicClientSentSecret: {
    code: 700025, error: 'invalid_client',
    description: () => "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
  },
  clientSecretMissing: {
    code: 7000218, error: 'invalid_client',
    description: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  invalidClientSecret: {
    code: 7000215, error: 'invalid_client',
    description: (appId: string) =>
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not ' +
      `the client secret ID, for a secret added to app '${appId}'.`,
  },
  clientCredentialsNeedDefault: {
    code: 1002012, error: 'invalid_scope',
    description: (scope: string) =>
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with ` +
      '/.default suffixed to the resource identifier (application ID URI).',
  },

  // /token: codes, refresh tokens and users.
  malformedGrant: {
    code: 9002313, error: 'invalid_grant',
    description: () => 'Invalid request. Request is malformed or invalid.',
  },
  codeRedeemed: {
    code: 54005, error: 'invalid_grant',
    description: () => 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  },
  codeExpired: {
    code: 70008, error: 'invalid_grant',
    description: () => 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  },
  codeRedirectUriMismatch: {
    code: 50011, error: 'invalid_grant',
    description: (redirectUri: string) =>
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URI used when requesting the authorization code.`,
  },
  pkceMismatch: {
    code: 50148, error: 'invalid_grant',
    description: () => 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
  },
  refreshTokenRevoked: {
    code: 50173, error: 'invalid_grant', suberror: BAD_TOKEN,
    description: (issuedAt: number) =>
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have ' +
      `changed or reset their password. The grant was issued on '${new Date(issuedAt).toISOString()}'.`,
  },
  refreshTokenReused: {
    code: 70000, error: 'invalid_grant', suberror: BAD_TOKEN,
    description: () => 'Provided grant is invalid or malformed: this refresh token was already used, and this tenant rotates refresh tokens. Use the newest one.',
  },
  refreshTokenInactive: {
    code: 700082, error: 'invalid_grant', suberror: BAD_TOKEN,
    description: (issuedAt: number) =>
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(issuedAt).toISOString()} and was inactive for 90.00:00:00.`,
  },
  unknownUser: {
    code: 50034, error: 'invalid_grant',
    description: (user?: string) => `The user account ${user === undefined ? '' : `${user} `}does not exist in this directory.`,
  },

  // The device code flow.
  deviceCodeNotValid: {
    code: 70019, error: 'invalid_grant',
    description: (userCode: string) => `The code '${userCode}' is not valid or has expired. Request a new code from the app.`,
  },
  deviceCodeExpired: {
    code: 70020, error: 'expired_token',
    description: () => 'The provided value for the input parameter \'device_code\' is not valid: the device code has expired.',
  },
  deviceCodeDeclined: {
    code: 65004, error: 'authorization_declined',
    description: () => 'User declined to consent to access the app.',
  },
  slowDown: {
    code: 70016, error: 'slow_down',
    description: () => 'The client is polling faster than the interval the device code response asked for.',
  },
  authorizationPending: {
    code: 70016, error: 'authorization_pending',
    description: () => 'The provided request has not yet been authorized by the user. The user must input their code.',
  },

  // On-behalf-of: the assertion (the user's token for the API).
  assertionExpired: {
    code: 500133, error: 'invalid_grant',
    description: () => 'Assertion is not within its valid time range.',
  },
  assertionSignatureInvalid: {
    code: 50013, error: 'invalid_grant',
    description: () => 'Assertion failed signature validation.',
  },
  assertionAudienceMismatch: {
    code: 50013, error: 'invalid_grant',
    description: (audience: string, appId: string) =>
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was ` +
      `'${audience}' and the expected audience is '${appId}' or one of the Application Id URIs of this application.`,
  },
  assertionNotForUser: {
    code: 50013, error: 'invalid_grant',
    description: () => 'Assertion is not a delegated token for a user of this tenant: on-behalf-of needs a user token.',
  },
} satisfies Record<string, AadstsEntry>;

/** What the sign-in page tells the person (Entra shows these to them; the app never receives one). */
export const AADSTS_ON_SIGN_IN_PAGE = {
  accountNotFound: { code: 50034, description: 'The user account does not exist in this directory. Pick one of the accounts below.' },
  wrongPassword: { code: 50126, description: 'Error validating credentials due to invalid username or password.' },
} satisfies Record<string, { code: number; description: string }>;

export type AadstsName = keyof typeof AADSTS;
type Details<Name extends AadstsName> = Parameters<(typeof AADSTS)[Name]['description']>;

/** The error Entra answers with in this situation: `throw aadsts('unknownClient', clientId, tenant)`. */
export function aadsts<Name extends AadstsName>(name: Name, ...details: Details<Name>): EntraError {
  const entry: AadstsEntry = AADSTS[name];
  const description = (entry.description as (...args: Details<Name>) => string)(...details);
  return new EntraError(entry.code, entry.error, description, undefined, entry.suberror);
}

/** The line the sign-in page shows: `AADSTS50126: Error validating credentials ...`. */
export function signInPageError(name: keyof typeof AADSTS_ON_SIGN_IN_PAGE): string {
  const { code, description } = AADSTS_ON_SIGN_IN_PAGE[name];
  return `AADSTS${code}: ${description}`;
}
