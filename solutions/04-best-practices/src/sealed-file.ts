// One JSON document, sealed with AES-256-GCM. The key id travels in the clear (so the right key can be
// picked after a rotation) but is bound to the ciphertext as additional authenticated data: swapping it,
// or changing any byte of the file, makes decryption fail instead of yielding altered data.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { StoreKey, StoreKeys } from './store-keys.ts';

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
  // #region solution
  const iv = randomBytes(12); // never reuse an IV with the same key: GCM's security depends on it
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(additionalData(key.id));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { version: 1, keyId: key.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  // #endregion
}

// TODO(04.5): Decrypt with the key the file names (current or previous); anything wrong is a TamperedStoreError, never altered data.
export function unseal(file: SealedFile, keys: StoreKeys): string {
  // #region solution
  const key = [keys.current, ...keys.previous].find((candidate) => candidate.id === file?.keyId);
  if (file?.version !== 1 || !key) throw new TamperedStoreError('sealed with an unknown key or format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(additionalData(key.id));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new TamperedStoreError('failed its integrity check'); // final() throws when the tag does not match
  }
  // #endregion
}

// TODO(04.5): Write `text` so the file is never half-written and only its owner can read it: a temporary file with mode 0600 beside it, then rename.
export async function writeAtomically(path: string, text: string): Promise<void> {
  // #region solution
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' }); // a new file, readable by its owner only
  await rename(temporary, path); // atomic on one file system: readers see the old file or the new one
  // #endregion
}
