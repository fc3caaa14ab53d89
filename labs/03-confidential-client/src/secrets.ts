// Opaque secrets the server hands out (state, authorization codes, session tokens) and how it keeps them.
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: unguessable, so it needs no signature. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the store keeps instead of the secret. A leaked store then gives an attacker nothing to replay.
 * One SHA-256 is enough here: the input is 256 random bits, not a password someone could guess.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
