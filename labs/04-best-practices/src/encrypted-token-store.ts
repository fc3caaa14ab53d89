// Lab 03's token store, kept on disk and encrypted: the same TokenStore interface, so the authorization
// server's code does not change, and lab 03's store inside, so the same expiry and caps hold. It also
// keeps MSAL's token cache (the users' Entra refresh tokens), so a restart signs nobody out.
//
// The file is a journal: every change is one line, sealed on its own, appended. A write costs what
// changed, not the whole store. When the lines that no longer matter (overwritten, deleted) outweigh the
// live ones, the file is rewritten with one line per live entry (compaction), atomically.
// Each line's sealed content names its place (`seq`) and the tag of the line before it, so a line cut out
// or moved is noticed as surely as a changed byte.
// Short-lived entries stay in memory only: a sign-in in progress (10 minutes) or a code (1 minute) lost in
// a restart costs one more sign-in, and not writing them keeps /authorize from touching the disk at all.
import { appendFile, readFile, rename } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ICachePlugin } from '@azure/msal-node';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import { InMemoryTokenStore, type IssuedCode, type PendingSignIn, type Session, type StoreChange, type TableName, type TokenStore } from '../../03-confidential-client/src/token-store.ts';
import { seal, TamperedStoreError, unseal, writeAtomically, type SealedFile } from './sealed-file.ts';
import type { StoreKeys } from './store-keys.ts';

/** One line of the journal: a change to a table, or MSAL's whole serialized cache. */
type JournalEntry = StoreChange | { table: 'msal'; key: 'cache'; value: string };

/** What a line holds once unsealed: its place in the file and the tag of the line before it. */
interface JournalLine {
  seq: number;
  prev: string;
  entry: JournalEntry;
}

/** Only these outlive a restart. */
const PERSISTENT: ReadonlySet<string> = new Set<TableName | 'msal'>(['clients', 'sessions', 'msal']);

/** Compact when the file is this much bigger than its live lines (and at least this many bytes bigger). */
const COMPACT_RATIO = 1.5;
const COMPACT_MIN_GARBAGE_BYTES = 64 * 1024;

export interface EncryptedStoreOptions {
  path: string;
  keys: StoreKeys;
  log: ServerLog;
}

export class EncryptedFileTokenStore implements TokenStore {
  private readonly memory = new InMemoryTokenStore({ onChange: (change) => this.record(change) });
  private msalCache?: string;
  /** The journal as it is on disk: its length, its last line's tag, and the size of each live line. */
  private seq = 0;
  private lastTag = '';
  private fileBytes = 0;
  private readonly liveBytes = new Map<string, number>();
  private writing = Promise.resolve();
  private torn = false;

  private constructor(private readonly options: EncryptedStoreOptions) {}

  /**
   * Opens the store. A file that fails its integrity check is not trusted: it is moved aside (kept for
   * investigation), reported, and the server starts empty. A file sealed with an older key is re-sealed
   * with the current one at once.
   */
  static async open(options: EncryptedStoreOptions): Promise<EncryptedFileTokenStore> {
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    const text = await readFile(options.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const store = new EncryptedFileTokenStore(options);
    if (text === undefined) return store;
    try {
      const keyIds = store.replay(text);
      const oldKeys = [...keyIds].filter((id) => id !== options.keys.current.id);
      // Appending after a torn line would tear the next one too; an old key should seal nothing more.
      if (store.torn || oldKeys.length > 0) await store.compact();
      if (oldKeys.length > 0) {
        options.log.info({ event: 'token_store_rekeyed', from: oldKeys.join(','), to: options.keys.current.id }, 'token store re-sealed with the current key');
      }
      return store;
    } catch (error) {
      if (!(error instanceof TamperedStoreError || error instanceof SyntaxError)) throw error;
      const asideTo = `${options.path}.rejected-${Date.now()}`;
      await rename(options.path, asideTo);
      options.log.error({ event: 'token_store_rejected', reason: error.message, movedTo: asideTo }, 'token store not trusted: starting empty, everyone signs in again');
      return new EncryptedFileTokenStore(options);
    }
  }

  /** Keeps MSAL's token cache in this store: MSAL reads it before each cache access, and hands it back when changed. */
  msalCachePlugin(): ICachePlugin {
    return {
      beforeCacheAccess: async (context) => {
        if (this.msalCache) context.tokenCache.deserialize(this.msalCache);
      },
      afterCacheAccess: async (context) => {
        if (!context.cacheHasChanged) return;
        this.msalCache = context.tokenCache.serialize();
        this.record({ table: 'msal', key: 'cache', value: this.msalCache });
        await this.writing;
      },
    };
  }

  // Lab 03's store does the work; each method returns once its change is on disk.
  getClient(clientId: string) {
    return this.memory.getClient(clientId);
  }
  saveClient(client: OAuthClientInformationFull) {
    return this.written(this.memory.saveClient(client));
  }
  savePendingSignIn(stateHash: string, pending: PendingSignIn) {
    return this.memory.savePendingSignIn(stateHash, pending);
  }
  takePendingSignIn(stateHash: string) {
    return this.memory.takePendingSignIn(stateHash);
  }
  saveCode(codeHash: string, code: IssuedCode) {
    return this.memory.saveCode(codeHash, code);
  }
  getCode(codeHash: string) {
    return this.memory.getCode(codeHash);
  }
  takeCode(codeHash: string) {
    return this.memory.takeCode(codeHash);
  }
  saveSession(session: Session) {
    return this.written(this.memory.saveSession(session));
  }
  sessionByAccessToken(accessTokenHash: string) {
    return this.memory.sessionByAccessToken(accessTokenHash);
  }
  sessionByRefreshToken(refreshTokenHash: string) {
    return this.memory.sessionByRefreshToken(refreshTokenHash);
  }
  deleteSession(sessionId: string) {
    return this.written(this.memory.deleteSession(sessionId));
  }
  deleteSessionsOf(oid: string) {
    return this.written(this.memory.deleteSessionsOf(oid));
  }
  onSessionEnded(listener: (sessionId: string) => void) {
    this.memory.onSessionEnded(listener);
  }
  counts() {
    return this.memory.counts();
  }

  /** The file's size as this store last wrote it (for the benchmark). */
  get sizeOnDisk(): number {
    return this.fileBytes;
  }

  private async written(change: Promise<void>): Promise<void> {
    await change;
    await this.writing;
  }

  /** Reads every line back into memory, checking each seal and the chain; returns the key ids it met. */
  private replay(text: string): Set<string> {
    const keyIds = new Set<string>();
    // Every line ends with a newline; a last line without one is a write the process did not finish (a
    // crash), so it never happened. split() leaves either that torn line or an empty string last.
    const lines = text.split('\n').slice(0, -1);
    this.torn = !text.endsWith('\n') && text.length > 0;
    for (const line of lines) {
      const sealed = JSON.parse(line) as SealedFile;
      const { seq, prev, entry } = JSON.parse(unseal(sealed, this.options.keys)) as JournalLine;
      if (seq !== this.seq || prev !== this.lastTag) throw new TamperedStoreError('a line is missing or out of place');
      keyIds.add(sealed.keyId);
      this.apply(entry, Buffer.byteLength(line) + 1);
      this.seq += 1;
      this.lastTag = sealed.tag;
    }
    this.fileBytes = Buffer.byteLength(lines.map((line) => `${line}\n`).join(''));
    return keyIds;
  }

  private apply(entry: JournalEntry, bytes: number): void {
    if (entry.table === 'msal') this.msalCache = entry.value;
    else this.memory.restore(entry);
    const name = `${entry.table}:${entry.key}`;
    if (entry.value === undefined) this.liveBytes.delete(name);
    else this.liveBytes.set(name, bytes);
  }

  /** Queues one change for the file (in order, one write at a time); short-lived tables are skipped. */
  private record(entry: JournalEntry): void {
    if (!PERSISTENT.has(entry.table)) return;
    const append = async () => {
      const line = this.sealLine(entry);
      await appendFile(this.options.path, line, { mode: 0o600 });
      this.fileBytes += Buffer.byteLength(line);
      const name = `${entry.table}:${entry.key}`;
      if (entry.value === undefined) this.liveBytes.delete(name);
      else this.liveBytes.set(name, Buffer.byteLength(line));
      if (this.fileBytes > COMPACT_RATIO * this.liveTotal() + COMPACT_MIN_GARBAGE_BYTES) await this.rewrite();
    };
    this.writing = this.writing.then(append, append);
  }

  /** Rewrites the whole file from what is live now (after a key rotation, or when compaction is due). */
  private compact(): Promise<void> {
    const rewrite = () => this.rewrite();
    this.writing = this.writing.then(rewrite, rewrite);
    return this.writing;
  }

  private async rewrite(): Promise<void> {
    this.seq = 0;
    this.lastTag = '';
    this.liveBytes.clear();
    const entries: JournalEntry[] = [...this.memory.entries()].filter((entry) => PERSISTENT.has(entry.table));
    if (this.msalCache) entries.push({ table: 'msal', key: 'cache', value: this.msalCache });
    let text = '';
    for (const entry of entries) {
      const line = this.sealLine(entry);
      this.liveBytes.set(`${entry.table}:${entry.key}`, Buffer.byteLength(line));
      text += line;
    }
    await writeAtomically(this.options.path, text);
    this.fileBytes = Buffer.byteLength(text);
  }

  /** One sealed line, chained to the line before it. */
  private sealLine(entry: JournalEntry): string {
    const sealed = seal(JSON.stringify({ seq: this.seq, prev: this.lastTag, entry } satisfies JournalLine), this.options.keys.current);
    this.seq += 1;
    this.lastTag = sealed.tag;
    return `${JSON.stringify(sealed)}\n`;
  }

  private liveTotal(): number {
    let total = 0;
    for (const bytes of this.liveBytes.values()) total += bytes;
    return total;
  }
}
