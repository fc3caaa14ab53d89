// Minting the tokens Entra issues, with the claims a relying party checks. An API chooses the token
// version it receives (`api.requestedAccessTokenVersion`): v2 tokens carry `iss {origin}/{tid}/v2.0`
// and `aud` = the API's client id; v1 tokens (Microsoft Graph's) carry `iss https://sts.windows.net/{tid}/`
// and `aud` = the API's identifier URI. Delegated tokens name the permissions in `scp`; app-only tokens
// (client credentials) have `roles` and no `scp`.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { SigningKeys } from './keys.ts';
import type { Application, FakeUser, TenantModel } from './model.ts';
import { isConfidential, rolesOf, servicePrincipalOf } from './directory.ts';

/** Seconds an access token lives. msal-node renews tokens within 300 s of expiry, so this must be more. */
export const ACCESS_TOKEN_LIFETIME = 3599;
/** Seconds an ID token lives. */
const ID_TOKEN_LIFETIME = 3600;

export interface Minter {
  model: TenantModel;
  keys: SigningKeys;
  now(): number;
}

/** The v2 issuer for a request's origin: `https://login.microsoftonline.com/{tid}/v2.0` in mock mode. */
export const issuerFor = (origin: string, tenantId: string) => `${origin}/${tenantId}/v2.0`;
/** The v1 issuer (Microsoft Graph's tokens): always sts.windows.net, whatever the authority host. */
export const v1IssuerFor = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;

/** `sub` is pairwise: the same user has a different `sub` in each app, so apps cannot correlate users by it. */
export function pairwiseSub(oid: string, appId: string): string {
  return createHash('sha256').update(`${oid}:${appId}`).digest('base64url');
}

/** What msal-node reads to build the account's home id: base64url of `{"uid": oid, "utid": tid}`. */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url');
}

/** Opaque per-token values Entra includes (`uti` is the token's unique id, `aio` and `rh` internal state). */
const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

function lifetime(minter: Minter, seconds: number) {
  const iat = Math.floor(minter.now() / 1000);
  return { iat, nbf: iat, exp: iat + seconds };
}

const wantsV1 = (resource: Application) => resource.api.requestedAccessTokenVersion !== 2;
const v1Audience = (resource: Application) => resource.identifierUris[0] ?? resource.appId;
/** `appidacr`/`azpacr`: how the client authenticated: 0 public client, 1 client secret. */
const clientAuthLevel = (client: Application) => (isConfidential(client) ? '1' : '0');

export interface DelegatedToken {
  origin: string;
  client: Application;
  user: FakeUser;
  resource: Application;
  /** Short permission names for `scp`. */
  scopes: string[];
}

/** An access token for `resource`, on behalf of `user`, requested by `client`. */
export async function mintDelegatedAccessToken(minter: Minter, token: DelegatedToken): Promise<string> {
  const { model } = minter;
  const { client, user, resource } = token;
  const roles = rolesOf(model, user.id, resource);
  const common = {
    ...lifetime(minter, ACCESS_TOKEN_LIFETIME),
    aio: opaque(24),
    name: user.displayName,
    oid: user.id,
    rh: opaque(16),
    scp: token.scopes.join(' '),
    sub: pairwiseSub(user.id, resource.appId),
    tid: model.tenantId,
    uti: opaque(16),
    ...(roles.length > 0 ? { roles } : {}),
  };
  if (wantsV1(resource)) {
    return minter.keys.sign({
      aud: v1Audience(resource),
      iss: v1IssuerFor(model.tenantId),
      acct: 0,
      acr: '1',
      amr: ['pwd'],
      app_displayname: client.displayName,
      appid: client.appId,
      appidacr: clientAuthLevel(client),
      family_name: user.surname,
      given_name: user.givenName,
      idtyp: 'user',
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      ver: '1.0',
      ...common,
    });
  }
  return minter.keys.sign({
    aud: resource.appId,
    iss: issuerFor(token.origin, model.tenantId),
    azp: client.appId,
    azpacr: clientAuthLevel(client),
    preferred_username: user.userPrincipalName,
    ver: '2.0',
    ...common,
  });
}

/** An app-only access token (client credentials): the client's service principal is the subject. */
export async function mintAppAccessToken(
  minter: Minter,
  token: { origin: string; client: Application; resource: Application },
): Promise<string> {
  const { model } = minter;
  const { client, resource } = token;
  const principal = servicePrincipalOf(model, client.appId);
  const principalId = principal?.id ?? randomUUID();
  const roles = rolesOf(model, principalId, resource);
  const common = {
    ...lifetime(minter, ACCESS_TOKEN_LIFETIME),
    aio: opaque(24),
    idtyp: 'app',
    oid: principalId,
    rh: opaque(16),
    sub: principalId,
    tid: model.tenantId,
    uti: opaque(16),
    ...(roles.length > 0 ? { roles } : {}),
  };
  if (wantsV1(resource)) {
    return minter.keys.sign({
      aud: v1Audience(resource),
      iss: v1IssuerFor(model.tenantId),
      app_displayname: client.displayName,
      appid: client.appId,
      appidacr: '1',
      ver: '1.0',
      ...common,
    });
  }
  return minter.keys.sign({
    aud: resource.appId,
    iss: issuerFor(token.origin, model.tenantId),
    azp: client.appId,
    azpacr: '1',
    ver: '2.0',
    ...common,
  });
}

/** The ID token: who signed in, for the client. msal-node caches the account from it and checks `nonce`. */
export async function mintIdToken(
  minter: Minter,
  token: { origin: string; client: Application; user: FakeUser; nonce?: string | undefined },
): Promise<string> {
  const { model } = minter;
  const { client, user } = token;
  const roles = rolesOf(model, user.id, client);
  const claims: JWTPayload = {
    aud: client.appId,
    iss: issuerFor(token.origin, model.tenantId),
    ...lifetime(minter, ID_TOKEN_LIFETIME),
    ...(token.nonce ? { nonce: token.nonce } : {}),
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    email: user.mail,
    rh: opaque(16),
    sub: pairwiseSub(user.id, client.appId),
    tid: model.tenantId,
    uti: opaque(16),
    ver: '2.0',
    ...(roles.length > 0 ? { roles } : {}),
  };
  return minter.keys.sign(claims);
}
