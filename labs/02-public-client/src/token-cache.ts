// The persistent token cache. msal-node keeps its tokens in memory and hands you the serialized cache
// (JSON with the refresh token in plain text) through a cache plugin: where and how it is stored is
// yours to decide. Here: one file, encrypted with AES-256-GCM, readable by you alone, replaced whole.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { todo } from '#shared/workbook/todo.ts';

const IV_BYTES = 12; // GCM's standard nonce size; never reuse one with the same key
const TAG_BYTES = 16; // the authentication tag: any change to the file makes decryption fail

// TODO(02.1): Encrypt the serialized cache with AES-256-GCM: a fresh random IV each time, and the result
// laid out as iv | tag | ciphertext so decryptCache can take it apart.
export function encryptCache(plaintext: string, key: Buffer): Buffer {
  throw todo('02.1');
}

// TODO(02.1): Decrypt what encryptCache wrote. A wrong key or a changed byte must throw, never return text.
export function decryptCache(blob: Buffer, key: Buffer): string {
  throw todo('02.1');
}

export interface FileCacheOptions {
  /** The cache file, e.g. `~/.local/share/mcp-workbook/token-cache.bin`. */
  path: string;
  /** 32 bytes (see cache-key.ts). */
  key: Buffer;
  /** Where to say that an unreadable cache was set aside (default: stderr). */
  warn?: (message: string) => void;
}

/** A cache plugin for msal-node: it loads the file before msal reads the cache and saves it after a change. */
export function fileCachePlugin({ path, key, warn = (message) => console.error(message) }: FileCacheOptions): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      if (!existsSync(path)) return;
      try {
        context.tokenCache.deserialize(decryptCache(readFileSync(path), key));
      } catch {
        // Another key, or a changed file: never trust it. The person signs in again, and the next save replaces it.
        warn('The token cache could not be decrypted (another key, or a changed file); you will be asked to sign in again.');
      }
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (!context.cacheHasChanged) return;
      // TODO(02.1): Save the encrypted cache: a temporary file with mode 0600 beside `path`, then rename it.
      throw todo('02.1');
    },
  };
}
