// watchFiles(): what a folder looked like after every file-system call a lab made, so a check can see a
// secret file that was world-readable "only for a moment", or a file rewritten in place instead of
// replaced. Labs 01 (.env) and 02 (the token cache and its key) are checked with it.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

export interface FileSighting {
  file: string;
  mode: number;
  ino: number;
}

/** The files of a folder just after one file-system call. */
export interface Snapshot {
  after: string;
  files: FileSighting[];
}

const WATCHED_CALLS = ['writeFileSync', 'appendFileSync', 'openSync', 'writeSync', 'closeSync', 'renameSync', 'chmodSync', 'fchmodSync', 'copyFileSync', 'unlinkSync', 'rmSync'] as const;
const WATCHED_PROMISES = ['writeFile', 'appendFile', 'open', 'rename', 'chmod', 'copyFile', 'unlink', 'rm'] as const;

/**
 * Watches the files in `dir` while `run` runs: after every file-system call that writes, renames or
 * changes a mode, it notes each file there with its mode. That is how a check sees a file that was
 * world-readable "only for a moment" (written, then chmod-ed), or a file rewritten in place.
 * The umask is the usual 022 meanwhile, so a file written without a mode really is world-readable.
 */
export async function watchFiles<T>(dir: string, run: () => Promise<T>): Promise<{ result: T; snapshots: Snapshot[] }> {
  const snapshots: Snapshot[] = [];
  const look = (after: string) => {
    const files: FileSighting[] = [];
    for (const file of fs.readdirSync(dir)) {
      const stat = fs.statSync(join(dir, file), { throwIfNoEntry: false });
      if (stat?.isFile()) files.push({ file, mode: stat.mode & 0o777, ino: stat.ino });
    }
    snapshots.push({ after, files });
  };
  const patched = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const promises = fs.promises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals: Array<() => void> = [];
  for (const name of WATCHED_CALLS) {
    const original = patched[name]!;
    patched[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      look(name);
      return result;
    };
    originals.push(() => (patched[name] = original));
  }
  for (const name of WATCHED_PROMISES) {
    const original = promises[name]!;
    promises[name] = async function (this: unknown, ...args: unknown[]) {
      const result = await original.apply(this, args);
      look(name);
      return result;
    };
    originals.push(() => (promises[name] = original));
  }
  syncBuiltinESMExports(); // the lab's `import { writeFileSync } from 'node:fs'` now sees the watched versions
  let umask: number | undefined;
  try {
    umask = process.umask(0o022);
  } catch {
    // worker threads cannot change the umask; the process's own then applies
  }
  try {
    look('start');
    return { result: await run(), snapshots };
  } finally {
    if (umask !== undefined) process.umask(umask);
    for (const restore of originals) restore();
    syncBuiltinESMExports();
  }
}
