// The servers the hostile bench floods: labs 03, 04 and 05 of the target (npm run bench:hostile makes it
// the REFERENCE solutions unless WORKBOOK_TARGET names another copy), started in this process on
// 127.0.0.1 with a free port, against the fake tenant (mock-mode settings, whatever the environment
// says). They are imported through the target, as the checks import lab code.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSettings } from '#shared/settings.ts';
import { REPO_ROOT } from '../../repo.ts';
import { importTarget } from '../../target.ts';

type Lab03Server = typeof import('../../../../solutions/03-confidential-client/src/server.ts');
type Lab04Server = typeof import('../../../../solutions/04-best-practices/src/server.ts');
type Lab04Store = typeof import('../../../../solutions/04-best-practices/src/encrypted-token-store.ts');
type Lab04Keys = typeof import('../../../../solutions/04-best-practices/src/store-keys.ts');
type Lab05Server = typeof import('../../../../solutions/05-resource-server/src/server.ts');
type ServerLog = import('../../../../solutions/03-confidential-client/src/server-log.ts').ServerLog;

/** `03-confidential-client/src/server.ts`: that file of the target's lab. */
const solution = <T>(file: string): Promise<T> => {
  const [slug, ...rest] = file.split('/');
  return importTarget<T>({ slug: slug! }, rest.join('/'));
};

/** Where lab 04's store files go while the bench runs; removed afterwards. */
export const BENCH_DIR = join(REPO_ROOT, '.workbook', 'bench');

export interface BenchServer {
  /** `http://127.0.0.1:<port>`. */
  origin: URL;
  /** The MCP endpoint, wherever the server puts it. */
  mcpUrl: URL;
  /** Events the server logged as errors (lab 03/04), or log lines (lab 05). */
  logged: { errors: number; lines: number };
  /** Lab 04: the encrypted store's file. */
  storeFile?: string;
  /** Waits until the server's store has written what it was asked to (lab 04); nothing for the others. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A server log that keeps nothing, only counts: 10,000 lines on stderr would bury the figures. */
function countingLog(logged: BenchServer['logged']): ServerLog {
  return {
    info: () => void (logged.lines += 1),
    warn: () => void (logged.lines += 1),
    error: () => {
      logged.lines += 1;
      logged.errors += 1;
    },
  };
}

/** Mock-mode settings from the built-in tenant, even if the shell has live-mode variables set. */
const mockSettings = (need: Parameters<typeof loadSettings>[0] = {}) => loadSettings({ ...need, env: {} });

/** Lab 03's server with its in-memory store. */
export async function startLab03(): Promise<BenchServer> {
  const { startServer } = await solution<Lab03Server>('03-confidential-client/src/server.ts');
  const logged = { errors: 0, lines: 0 };
  const server = await startServer({ settings: mockSettings({ need: ['server'] }), port: 0, log: countingLog(logged) });
  return { origin: new URL(server.baseUrl), mcpUrl: server.mcpUrl, logged, settle: async () => {}, close: () => server.close() };
}

let storeCount = 0;

/** Lab 04's server with its encrypted file store, in a folder of its own under .workbook/bench/. */
export async function startLab04(): Promise<BenchServer> {
  const [{ startServer }, { EncryptedFileTokenStore }, { parseStoreKeys }] = await Promise.all([
    solution<Lab04Server>('04-best-practices/src/server.ts'),
    solution<Lab04Store>('04-best-practices/src/encrypted-token-store.ts'),
    solution<Lab04Keys>('04-best-practices/src/store-keys.ts'),
  ]);
  const folder = join(BENCH_DIR, `hostile-${process.pid}-${(storeCount += 1)}`);
  const storeFile = join(folder, 'token-store.json');
  const logged = { errors: 0, lines: 0 };
  const log = countingLog(logged);
  const store = await EncryptedFileTokenStore.open({ path: storeFile, keys: parseStoreKeys(`bench:${randomBytes(32).toString('base64')}`), log });
  const removeFolder = () => rm(folder, { recursive: true, force: true });
  let server;
  try {
    server = await startServer({ settings: mockSettings({ need: ['server'] }), port: 0, store, msalCache: store.msalCachePlugin(), log, production: false });
  } catch (error) {
    await removeFolder();
    throw error;
  }
  // The store writes one change at a time, in order: one more (harmless) change resolves after all of them.
  const settle = () => store.deleteSession('hostile-bench-settle');
  return {
    origin: new URL(server.baseUrl),
    mcpUrl: server.mcpUrl,
    logged,
    storeFile,
    settle,
    close: async () => {
      await server.close();
      await settle().catch(() => {});
      await removeFolder();
    },
  };
}

/** Lab 05's resource server (Entra tokens, checked against the fake tenant's keys). */
export async function startLab05(): Promise<BenchServer> {
  const { startResourceServer } = await solution<Lab05Server>('05-resource-server/src/server.ts');
  const logged = { errors: 0, lines: 0 };
  const server = await startResourceServer({ settings: mockSettings({ need: ['server', 'mcpClient'] }), log: () => void (logged.lines += 1) });
  return { origin: new URL(server.url.origin), mcpUrl: server.url, logged, settle: async () => {}, close: () => server.close() };
}

/** A file's size in bytes; 0 when it does not exist (yet). */
export async function fileSize(path: string | undefined): Promise<number> {
  if (!path) return 0;
  return stat(path).then(
    (stats) => stats.size,
    () => 0,
  );
}
