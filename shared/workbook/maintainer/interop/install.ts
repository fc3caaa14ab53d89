// interop/ is a package of its own, so the Inspector (about 120 packages, 110 MB) never enters a
// learner's install. `npm ci` installs it from its lock file, and only when that lock file changed since
// the last install: a stamp in interop/node_modules/ holds the lock file's hash.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../fingerprint.ts';
import { INSPECTOR_BIN, INTEROP_DIR } from './inspector.ts';

const LOCK_FILE = join(INTEROP_DIR, 'package-lock.json');
const STAMP = join(INTEROP_DIR, 'node_modules', '.installed-from-lock');

/** Installs interop/ when its lock file is not what was installed; false (with npm's words shown) when npm fails. */
export function ensureInteropInstall(): boolean {
  const lock = sha256(readFileSync(LOCK_FILE));
  if (existsSync(INSPECTOR_BIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === lock) return true;
  console.log('== npm ci --prefix interop (the MCP Inspector, from interop/package-lock.json)');
  // No install scripts: the Inspector needs none when installed as a dependency.
  const npm = spawnSync('npm', ['ci', '--prefix', INTEROP_DIR, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) return false;
  writeFileSync(STAMP, lock);
  return true;
}
