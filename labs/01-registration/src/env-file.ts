// The .env file the later labs read. It holds a client secret, so it is written the careful way:
// readable by you alone (mode 0600), all at once (a crash never leaves half a file), and without
// losing anything you had put in it yourself.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { todo } from '#shared/workbook/todo.ts';

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
  throw todo('01.3');
}
