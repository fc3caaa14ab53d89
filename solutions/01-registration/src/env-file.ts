// The .env file the later labs read. It holds a client secret, so it is written the careful way:
// readable by you alone (mode 0600), all at once (a crash never leaves half a file), and without
// losing anything you had put in it yourself.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** The variables in an .env file; an absent file has none. */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** `NAME=value`, quoted when the value holds anything a .env parser could misread. */
function envLine(name: string, value: string): string {
  return /^[\w.~:/@+-]*$/.test(value) ? `${name}=${value}` : `${name}='${value}'`;
}

// TODO(01.3): Write `values` into the .env file at `path`: keep every other line as it was, replace the
// lines of the variables you set, add the new ones; mode 0600; write a temporary file, then rename it.
export function writeEnvFile(path: string, values: Record<string, string>): void {
  // #region solution
  const lines = existsSync(path) ? readFileSync(path, 'utf8').replace(/\n$/, '').split('\n') : [];
  const pending = new Map(Object.entries(values));
  const merged = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([\w.]+)\s*=/.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) return line; // comments and other variables stay
    const value = pending.get(name)!;
    pending.delete(name);
    return envLine(name, value);
  });
  for (const [name, value] of pending) merged.push(envLine(name, value));

  // The temporary file is created with mode 0600 (never world-readable, not even for a moment) beside
  // the target, so the rename stays on one file system and replaces the old file in one step.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${merged.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
  // #endregion
}
