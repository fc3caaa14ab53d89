// One JSON document, sealed with AES-256-GCM. The key id travels in the clear (so the right key can be
// picked after a rotation) but is bound to the ciphertext as additional authenticated data: swapping it,
// or changing any byte of the file, makes decryption fail instead of yielding altered data.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { StoreKey, StoreKeys } from './store-keys.ts';
import { todo } from '#shared/workbook/todo.ts';

export interface SealedFile {
  version: 1;
  keyId: string;
  /** base64: the 12-byte nonce, the 16-byte GCM tag, the ciphertext. */
  iv: string;
  tag: string;
  data: string;
}

/** The file could not be opened: altered, truncated, or sealed with a key we do not have. */
export class TamperedStoreError extends Error {
  override name = 'TamperedStoreError';
}

const additionalData = (keyId: string) => Buffer.from(`token-store:v1:${keyId}`);

// TODO(04.5): Encrypt `plaintext` with AES-256-GCM under `key`: a fresh random 12-byte IV each time, the key id bound as additional data.
export function seal(plaintext: string, key: StoreKey): SealedFile {
  throw todo('04.5');
}

// TODO(04.5): Decrypt with the key the file names (current or previous); anything wrong is a TamperedStoreError, never altered data.
export function unseal(file: SealedFile, keys: StoreKeys): string {
  throw todo('04.5');
}

// TODO(04.5): Write `text` so the file is never half-written and only its owner can read it: a temporary file with mode 0600 beside it, then rename.
export async function writeAtomically(path: string, text: string): Promise<void> {
  throw todo('04.5');
}
