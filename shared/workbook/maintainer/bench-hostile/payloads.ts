// What the hostile bench sends: client metadata and /authorize fields as large as the server's body
// parser takes, and bearer tokens that must all be refused (made up, JWT-shaped, hostile JOSE headers,
// or signed by the tenant with claims that do not fit).
import { randomBytes } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';

/** Where the flood's client says it wants the user back; nothing listens there. */
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/oauth/callback';

/** Node's HTTP parser refuses a request line and headers over 16 KB (431): a GET carries less than that. */
export const GET_STATE_BYTES = 14 * 1024;

/** The largest requests the server says it accepts (lab 03's REQUEST_LIMITS), when it says so. */
export interface AcceptedLimits {
  state: number;
  redirectUri: number;
  redirectUris: number;
  clientMetadataBytes: number;
}

/** What the server adds to a registration before it measures and keeps it (client_id, issued at). */
const SERVER_ADDED_BYTES = 96;

/**
 * A /register body of `bytes` bytes: several long redirect URIs and a long client name fill it. With the
 * server's limits, the largest body it still accepts instead.
 */
export function maxClientMetadata(bytes: number, limits?: AcceptedLimits): Buffer {
  const count = limits?.redirectUris ?? 8;
  const size = limits ? limits.clientMetadataBytes - SERVER_ADDED_BYTES : bytes;
  const uriLength = Math.min(limits?.redirectUri ?? Infinity, Math.max(64, Math.floor((size * 0.6) / count)));
  const metadata = {
    client_name: '',
    redirect_uris: Array.from({ length: count }, (_, index) => pad(`http://127.0.0.1:33418/oauth/callback/${index}/`, uriLength)),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'mcp.tools',
  };
  metadata.client_name = 'n'.repeat(Math.max(1, size - Buffer.byteLength(JSON.stringify(metadata))));
  return Buffer.from(JSON.stringify(metadata));
}

/** An ordinary registration, for the client the /authorize flood uses. */
export function plainClientMetadata(): Buffer {
  return Buffer.from(
    JSON.stringify({ client_name: 'hostile bench', redirect_uris: [CLIENT_REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' }),
  );
}

/** The fields of an authorization request whose `state` makes the whole of it about `bytes` bytes. */
export function authorizeFields(clientId: string, resource: string, bytes: number, limits?: AcceptedLimits): URLSearchParams {
  const fields = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    code_challenge: randomBytes(32).toString('base64url'),
    code_challenge_method: 'S256',
    scope: 'mcp.tools',
    resource,
    state: '',
  });
  fields.set('state', 's'.repeat(limits ? limits.state : Math.max(1, bytes - fields.toString().length)));
  return fields;
}

function pad(prefix: string, length: number): string {
  return prefix + 'p'.repeat(Math.max(0, length - prefix.length));
}

/** Bad tokens of one kind. */
export interface HostileTokens {
  kind: string;
  tokens: string[];
}

/** The `index`th token of a flood: each kind in turn, then the next variant of that kind. */
export function tokenAt(groups: HostileTokens[], index: number): { kind: string; token: string } {
  const group = groups[index % groups.length]!;
  return { kind: group.kind, token: group.tokens[Math.floor(index / groups.length) % group.tokens.length]! };
}

const b64 = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');
const json = (value: unknown) => b64(JSON.stringify(value));
/** A compact JWS with the given header and payload and a signature of random bytes. */
const forged = (header: unknown, payload: unknown, signature = b64(randomBytes(256))) => `${json(header)}.${json(payload)}.${signature}`;
const garbage = (length: number) => randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length);

/** Claims Entra would put in a good token for the workbook's server, before each kind spoils them. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: APPS.remoteServer,
    iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    tid: TENANT_ID,
    oid: '00000000-0000-0000-0000-000000000bad',
    azp: APPS.mcpClient,
    scp: 'mcp.tools',
    ver: '2.0',
    ...overrides,
  };
}

/**
 * Tokens that every bearer check must answer with 401: a few variants of each kind (see tokenAt).
 * Made before any flood starts, so making them costs the measured heap nothing.
 */
export async function hostileTokens(tenant: FakeTenant): Promise<HostileTokens[]> {
  const tenantJwk = tenant.keys.jwks().keys[0]!;
  const realKid = tenantJwk.kid!;
  const tenantPem = await exportSPKI((await importJWK(tenantJwk, 'RS256')) as CryptoKey);
  const attacker = await generateKeyPair('RS256', { extractable: true });
  const attackerJwk = await exportJWK(attacker.publicKey);
  const signAs = (header: Record<string, unknown>, payload: JWTPayload = claims()) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(attacker.privateKey);
  const hmac = (secret: string) => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: realKid }).sign(Buffer.from(secret));
  const rs = (header: Record<string, unknown>) => ({ alg: 'RS256', typ: 'JWT', ...header });
  const times = <T>(n: number, make: (index: number) => T) => Array.from({ length: n }, (_, index) => make(index));

  const kinds: Record<string, Array<string | Promise<string>>> = {
    'made-up string': [16, 43, 64, 256, 1024, 4096].map(garbage),
    'JWT-shaped garbage': [...times(6, () => `${garbage(40)}.${garbage(120)}.${garbage(342)}`), 'a.b.c', '..', `${json([])}.${json(null)}.`, `${json('x')}.${json({})}.x`, `${b64('{not json')}.${b64('}')}.${garbage(8)}`],
    'header without alg': [forged({ typ: 'JWT', kid: realKid }, claims())],
    'alg none': ['none', 'None', 'NONE', 'nOnE'].map((alg) => `${json({ alg, typ: 'JWT' })}.${json(claims())}.`),
    'HS256 keyed with the public key': [hmac(tenantPem), hmac(JSON.stringify(tenantJwk)), hmac(tenantJwk.n!)],
    'other algorithms': ['ES256', 'PS256', 'EdDSA', 'RS512', 'HS512', 'RSA-OAEP', 'RS256 '].map((alg) => forged({ alg, kid: realKid }, claims())),
    'real kid, forged signature': [forged(rs({ kid: realKid }), claims()), signAs({ kid: realKid }), `${json(rs({ kid: realKid }))}.${json(claims())}.`],
    'unknown kid': times(48, () => signAs({ kid: garbage(27) })),
    'hostile kid': [
      forged(rs({ kid: 'k'.repeat(8000) }), claims()),
      ...['../../../../etc/passwd', "' OR '1'='1", '%00', '\\u0000', 'constructor', '__proto__', 'toString'].map((kid) => forged(rs({ kid }), claims())),
      ...[{ $ne: null }, ['a', 'b'], 42, null, true].map((kid) => forged(rs({ kid }), claims())),
    ],
    'jku / x5u / x5c': [
      signAs({ kid: garbage(12), jku: 'https://attacker.example/jwks.json' }),
      signAs({ kid: garbage(12), x5u: 'https://attacker.example/cert.pem' }),
      forged(rs({ kid: realKid, x5c: [garbage(1200)] }), claims()),
    ],
    'embedded jwk': [signAs({ jwk: { kty: attackerJwk.kty, n: attackerJwk.n, e: attackerJwk.e } }), signAs({ kid: realKid, jwk: { ...attackerJwk, kid: realKid } })],
    'crit / b64 / zip': [
      forged(rs({ kid: realKid, crit: ['exp'] }), claims()),
      forged(rs({ kid: realKid, crit: ['b64'], b64: false }), claims()),
      forged(rs({ kid: realKid, crit: 'b64' }), claims()),
      forged(rs({ kid: realKid, zip: 'DEF' }), claims()),
    ],
    'prototype keys': [
      `${b64(`{"alg":"RS256","kid":"${realKid}","__proto__":{"alg":"none"}}`)}.${json(claims())}.${garbage(342)}`,
      `${json(rs({ kid: realKid }))}.${b64('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}')}.${garbage(342)}`,
    ],
    'JWE-shaped': [`${json({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: realKid })}.${garbage(342)}.${garbage(16)}.${garbage(200)}.${garbage(22)}`],
    'oversized (12 KB)': [forged(rs({ kid: realKid }), { ...claims(), pad: 'x'.repeat(8800) })],
    'tenant-signed, bad claims': [
      tenant.keys.sign(claims({ exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 })),
      tenant.keys.sign(claims({ aud: '00000003-0000-0000-c000-000000000000' })),
      tenant.keys.sign(claims({ iss: `https://sts.windows.net/${TENANT_ID}/` })),
      tenant.keys.sign(claims({ tid: '11111111-2222-3333-4444-555555555555' })),
      tenant.keys.sign(claims({ nbf: Math.floor(Date.now() / 1000) + 3600 })),
      tenant.keys.sign(claims({ exp: undefined })),
    ],
  };
  return Promise.all(Object.entries(kinds).map(async ([kind, variants]) => ({ kind, tokens: await Promise.all(variants) })));
}
