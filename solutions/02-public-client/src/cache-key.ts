// Where the token cache lives and which key encrypts it.
//   TOKEN_CACHE_DIR  the folder (default: your user data folder, below)
//   TOKEN_CACHE_KEY  the key: 32 random bytes in base64. Unset: a key is generated on first use and kept
//                    in `token-cache.key` (mode 0600) in the same folder. That keeps tokens out of any copy
//                    of the cache file alone (a backup, a synced folder), not from someone who can read
//                    your whole folder: for that the key belongs in the OS keychain (see the lab guide).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const KEY_BYTES = 32; // AES-256

/** The per-user data folder of each OS, with a folder of our own in it. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOKEN_CACHE_DIR) return env.TOKEN_CACHE_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'mcp-workbook');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'mcp-workbook');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'mcp-workbook');
}

/** The cache key: TOKEN_CACHE_KEY, or the key file in `dir` (created on first use). Never log it. */
export function cacheKey(dir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.TOKEN_CACHE_KEY) {
    const key = Buffer.from(env.TOKEN_CACHE_KEY, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(`TOKEN_CACHE_KEY must be ${KEY_BYTES} random bytes in base64 (make one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))").`);
    }
    return key;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'token-cache.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  return Buffer.from(readFileSync(file, 'utf8'), 'base64');
}
