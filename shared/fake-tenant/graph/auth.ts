// The bearer check Microsoft Graph makes on every request: a well-formed JWT signed by the tenant,
// within its lifetime, issued for Graph (not for some other API: a token's audience says whom it is
// for), by this tenant. Then who is calling: a user through an app (delegated: the permissions are in
// `scp`) or an app on its own (app-only: the permissions are app roles, in `roles`).
import { decodeJwt, errors, type JWTPayload } from 'jose';
import type { GraphContext } from './context.ts';
import { insufficientPrivileges, invalidToken } from './errors.ts';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../../entra/microsoft-graph.ts';

export type GraphCaller =
  | { kind: 'delegated'; userId: string; scopes: string[] }
  | { kind: 'application'; appId: string; roles: string[] };

/** The audiences Graph accepts: its resource URI (with or without the slash) or its app id. */
const GRAPH_AUDIENCES = new Set([GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID]);

const NOT_WELL_FORMED =
  "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.";

export async function authenticate(ctx: GraphContext, request: Request): Promise<GraphCaller> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) throw invalidToken('Access token is empty.');
  if (!token.includes('.')) throw invalidToken(NOT_WELL_FORMED);
  try {
    decodeJwt(token);
  } catch {
    throw invalidToken('IDX14102: Unable to decode the header as Base64Url encoded string.');
  }
  const claims = await verify(ctx, token);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((audience) => audience !== undefined && GRAPH_AUDIENCES.has(audience))) {
    throw invalidToken('Access token validation failure. Invalid audience.');
  }
  if (claims.tid !== ctx.model.tenantId) throw invalidToken('Access token validation failure. Invalid issuer.');
  return callerOf(claims);
}

async function verify(ctx: GraphContext, token: string): Promise<JWTPayload> {
  try {
    return await ctx.verifyToken(token);
  } catch (failure) {
    if (failure instanceof errors.JWTExpired) throw invalidToken('Lifetime validation failed, the token is expired.');
    if (failure instanceof errors.JWTClaimValidationFailed && failure.claim === 'nbf') {
      throw invalidToken('Lifetime validation failed, the token is not yet valid.');
    }
    // A bad signature, an unknown key: Graph does not say which, and neither do we.
    throw invalidToken('Access token validation failure.');
  }
}

function callerOf(claims: JWTPayload): GraphCaller {
  // Only a delegated token has `scp`; an app-only token's permissions are app roles.
  if (typeof claims.scp === 'string') {
    return { kind: 'delegated', userId: String(claims.oid), scopes: claims.scp.split(' ').filter(Boolean) };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  return { kind: 'application', appId: String(claims.appid ?? claims.azp), roles };
}

/** Which permissions allow an operation: delegated scopes, and application roles. */
export interface Permissions {
  delegated: readonly string[];
  application: readonly string[];
}

/** 403 unless the caller holds one of the permissions for its kind of token. */
export function requirePermission(caller: GraphCaller, permissions: Permissions): void {
  const held = caller.kind === 'delegated' ? caller.scopes : caller.roles;
  const accepted = caller.kind === 'delegated' ? permissions.delegated : permissions.application;
  if (!held.some((permission) => accepted.includes(permission))) throw insufficientPrivileges();
}
