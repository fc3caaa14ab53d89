// The tenant's token-signing keys. Entra signs with RS256 and names the key in each token's header
// (`kid`); a relying party finds that key in the published JWKS. After a rotation the old key stays
// published for a while, so tokens signed just before the rotation still verify.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
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
  return signingKey(privateKey, await exportJWK(publicKey));
}

async function signingKey(privateKey: CryptoKey, jwk: JWK): Promise<SigningKey> {
  // Entra's kids are certificate thumbprints; the JWK thumbprint is the same idea without a certificate.
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, n: jwk.n!, e: jwk.e! });
  return { kid, privateKey, publicJwk: { kty: jwk.kty, use: 'sig', kid, alg: ALG, n: jwk.n, e: jwk.e } };
}

/**
 * Test-only speed (`reuseSigningKeys`): an RSA key pair takes a tenth of a second to half a second of
 * CPU to generate, more under load, and checks start a tenant per file. Spare keys wait here for the next
 * tenant of this process (or worker thread): the keys of tenants that have closed (the last one given back
 * is the next one lent), and the keys kept from earlier runs. A key is lent to one open tenant at a time,
 * so two open tenants never share a key and a rotation always brings a key the tenant never had. On
 * globalThis, because a worker imports this module afresh for each check file (fresh-modules.ts).
 */
const SPARE_KEYS = Symbol.for('workbook.fake-tenant.spare-signing-keys');

/**
 * The keys kept between runs, so a check run generates none: like the local CA's key
 * (shared/dev-certificates.ts), in .workbook/, which git ignores, readable by you alone. A fake tenant's
 * key signs only tokens that checks' fake tenants accept.
 */
const KEPT_KEYS_FILE = fileURLToPath(new URL('../../.workbook/fake-tenant/signing-keys.json', import.meta.url));
const KEEP_AT_MOST = 6;

function spareKeys(): Promise<SigningKey[]> {
  const holder = globalThis as { [SPARE_KEYS]?: Promise<SigningKey[]> };
  return (holder[SPARE_KEYS] ??= keptKeys());
}

async function keptKeys(): Promise<SigningKey[]> {
  try {
    const jwks = JSON.parse(await readFile(KEPT_KEYS_FILE, 'utf8')) as JWK[];
    return await Promise.all(jwks.map(async (jwk) => signingKey((await importJWK(jwk, ALG)) as CryptoKey, jwk)));
  } catch {
    return []; // none kept yet, or a file this version cannot read: new keys replace it
  }
}

/** A new key for a tenant that reuses keys, kept for later runs while fewer than KEEP_AT_MOST are. */
async function newKeptKey(): Promise<SigningKey> {
  const key = await newKey();
  try {
    let kept: JWK[] = [];
    try {
      kept = JSON.parse(await readFile(KEPT_KEYS_FILE, 'utf8')) as JWK[];
    } catch {
      // the first key kept
    }
    if (kept.length < KEEP_AT_MOST) {
      await mkdir(dirname(KEPT_KEYS_FILE), { recursive: true });
      const partial = `${KEPT_KEYS_FILE}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      await writeFile(partial, JSON.stringify([...kept, await exportJWK(key.privateKey)]), { mode: 0o600 });
      await rename(partial, KEPT_KEYS_FILE); // a reader never sees half a file; two writers: one key is not kept
    }
  } catch {
    // not kept: the next run generates a key again
  }
  return key;
}

/**
 * For a check that forges a signature: the private key of a key pair that no open tenant of this process
 * publishes, nor will (it leaves the spares for good). Taken from the spares (reuseSigningKeys), so no
 * key pair is generated once some are kept.
 */
export async function strangerKey(): Promise<CryptoKey> {
  return ((await spareKeys()).pop() ?? (await newKeptKey())).privateKey;
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
    return new SigningKeys(reuse ? ((await spareKeys()).pop() ?? (await newKeptKey())) : await newKey(), reuse);
  }

  /** The keys `exportPrivate()` gave, newest first: the same kids, so tokens signed before still verify. */
  static async restore(privateJwks: JWK[]): Promise<SigningKeys> {
    const [first, ...rest] = await Promise.all(
      privateJwks.map(async (jwk) => signingKey((await importJWK(jwk, ALG, { extractable: true })) as CryptoKey, jwk)),
    );
    if (!first) throw new Error('SigningKeys.restore: no key given');
    const keys = new SigningKeys(first, false);
    keys.keys.push(...rest);
    return keys;
  }

  /** The private keys, newest first (private: keep them where only you can read them). */
  exportPrivate(): Promise<JWK[]> {
    return Promise.all(this.keys.map((key) => exportJWK(key.privateKey)));
  }

  /** Borrowed keys go back to the spares for the next tenant; this tenant must sign nothing more. */
  release(): void {
    if (!this.borrowed) return;
    const given = this.borrowed;
    this.borrowed = [];
    void spareKeys().then((spares) => spares.push(...given));
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
    const next = this.borrowed ? ((await spareKeys()).pop() ?? (await newKeptKey())) : await newKey();
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
