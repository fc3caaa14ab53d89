// Which keys encrypt the token store, from the settings:
//   TOKEN_STORE_KEYS  `id:base64key` pairs, comma-separated, newest first. The first seals every write;
//                     the others only open a store sealed earlier (key rotation: add a new key in front,
//                     restart, and the store is re-sealed with it; drop the old key once that happened).
//   TOKEN_STORE_PATH  the store's file (default: .workbook/lab-04/token-store.json).
// Unset TOKEN_STORE_KEYS: a key is generated on first use and kept next to the store (mode 0600), which
// suits a workstation. In production the keys come from a vault (Azure Key Vault: see the lab guide).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StoreKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

export interface StoreKeys {
  /** Seals every write. */
  current: StoreKey;
  /** Opens a store sealed before the last rotation. */
  previous: StoreKey[];
}

export const KEY_BYTES = 32;

export const DEFAULT_STORE_PATH = fileURLToPath(new URL('../../../.workbook/lab-04/token-store.json', import.meta.url));

/** TOKEN_STORE_KEYS parsed; a malformed value names what is wrong (never the key). */
export function parseStoreKeys(value: string): StoreKeys {
  const keys = value.split(',').map((pair, index) => {
    const [id, encoded] = pair.trim().split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!id || key.length !== KEY_BYTES) {
      throw new Error(`TOKEN_STORE_KEYS: entry ${index + 1} must be id:key, the key ${KEY_BYTES} random bytes in base64 (node -e "console.log(crypto.randomBytes(32).toString('base64'))").`);
    }
    return { id, key };
  });
  return { current: keys[0]!, previous: keys.slice(1) };
}

/** The store's file and keys, from the environment (or a generated key file beside the store). */
export function storeSettings(env: NodeJS.ProcessEnv = process.env): { path: string; keys: StoreKeys } {
  const path = env.TOKEN_STORE_PATH || DEFAULT_STORE_PATH;
  if (env.TOKEN_STORE_KEYS) return { path, keys: parseStoreKeys(env.TOKEN_STORE_KEYS) };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const keyFile = join(dirname(path), 'token-store.key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, `local:${randomBytes(KEY_BYTES).toString('base64')}`, { mode: 0o600, flag: 'wx' });
  return { path, keys: parseStoreKeys(readFileSync(keyFile, 'utf8').trim()) };
}
