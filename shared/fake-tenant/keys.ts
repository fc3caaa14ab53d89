// The tenant's token-signing keys. Entra signs with RS256 and names the key in each token's header
// (`kid`); a relying party finds that key in the published JWKS. After a rotation the old key stays
// published for a while, so tokens signed just before the rotation still verify.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyOptions,
} from 'jose';

const ALG = 'RS256';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Header `typ`; Entra's tokens say `JWT`. */
  typ?: string;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(publicKey);
  // Entra's kids are certificate thumbprints; the JWK thumbprint is the same idea without a certificate.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { kty: jwk.kty, use: 'sig', kid, alg: ALG, n: jwk.n, e: jwk.e } };
}

/**
 * Test-only speed (`reuseSigningKeys`): an RSA key pair takes a tenth of a second to half a second of
 * CPU to generate, and checks start a tenant per file. Keys of tenants that have closed wait here for
 * the next tenant of this process (the last one given back is the next one lent). A key is lent to one
 * open tenant at a time, so two open tenants never share a key and a rotation always brings a key the
 * tenant never had. On globalThis, because a worker imports this module afresh for each check file
 * (shared/workbook/fresh-modules.ts).
 */
const SPARE_KEYS = Symbol.for('workbook.fake-tenant.spare-signing-keys');

function spareKeys(): SigningKey[] {
  const holder = globalThis as { [SPARE_KEYS]?: SigningKey[] };
  return (holder[SPARE_KEYS] ??= []);
}

export interface SigningKeysOptions {
  /** Borrow keys from this process's spares (a new one only when none is free); `release()` gives them back. */
  reuse?: boolean;
}

export class SigningKeys {
  /** Newest first: `keys[0]` signs, the rest are still published until dropped. */
  private keys: SigningKey[];
  /** Every key this tenant has had, when they are borrowed: all go back on release(). */
  private borrowed: SigningKey[] | undefined;

  private constructor(first: SigningKey, reuse: boolean) {
    this.keys = [first];
    this.borrowed = reuse ? [first] : undefined;
  }

  static async create(options: SigningKeysOptions = {}): Promise<SigningKeys> {
    const reuse = options.reuse ?? false;
    return new SigningKeys((reuse ? spareKeys().pop() : undefined) ?? (await newKey()), reuse);
  }

  /** Borrowed keys go back to the spares for the next tenant; this tenant must sign nothing more. */
  release(): void {
    if (!this.borrowed) return;
    spareKeys().push(...this.borrowed);
    this.borrowed = [];
  }

  async sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
    const key = this.keys[0]!;
    return new SignJWT(claims).setProtectedHeader({ alg: ALG, typ: options.typ ?? 'JWT', kid: key.kid }).sign(key.privateKey);
  }

  /** The public keys, as served at `/discovery/v2.0/keys`. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => ({ ...key.publicJwk })) };
  }

  /**
   * A new signing key. The previous one stays in the JWKS (one key of grace, as Entra keeps recently
   * used keys published) unless `dropOld`, which simulates a key that was withdrawn at once.
   */
  async rotate(options: { dropOld?: boolean } = {}): Promise<void> {
    const spare = this.borrowed ? spareKeys().pop() : undefined;
    const next = spare ?? (await newKey());
    this.borrowed?.push(next);
    this.keys = options.dropOld ? [next] : [next, this.keys[0]!];
  }

  /**
   * Verifies a token this tenant signed (any published key) and returns its claims. Expiry is checked
   * against `currentDate` when given. Throws jose's errors otherwise.
   */
  async verify(jwt: string, options: JWTVerifyOptions = {}): Promise<JWTPayload> {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(this.jwks()), { algorithms: [ALG], ...options });
    return payload;
  }
}
