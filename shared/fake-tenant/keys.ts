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

export class SigningKeys {
  /** Newest first: `keys[0]` signs, the rest are still published until dropped. */
  private keys: SigningKey[];

  private constructor(first: SigningKey) {
    this.keys = [first];
  }

  static async create(): Promise<SigningKeys> {
    return new SigningKeys(await newKey());
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
    const next = await newKey();
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
