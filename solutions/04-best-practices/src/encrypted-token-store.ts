// Lab 03's token store, kept on disk and encrypted: the same TokenStore interface, so the authorization
// server's code does not change. It also keeps MSAL's token cache (the users' Entra refresh tokens), so
// a restart signs nobody out. Everything lives in memory and is sealed to one file after each change.
import { readFile, rename } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ICachePlugin } from '@azure/msal-node';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { nowSeconds } from '#lab03/secrets.ts';
import type { ServerLog } from '#lab03/server-log.ts';
import type { IssuedCode, PendingSignIn, Session, TokenStore } from '#lab03/token-store.ts';
import { seal, TamperedStoreError, unseal, writeAtomically, type SealedFile } from './sealed-file.ts';
import type { StoreKeys } from './store-keys.ts';

interface StoreState {
  clients: Record<string, OAuthClientInformationFull>;
  pending: Record<string, PendingSignIn>;
  codes: Record<string, IssuedCode>;
  sessions: Record<string, Session>;
  /** MSAL's serialized token cache. */
  msalCache?: string;
}

const emptyState = (): StoreState => ({ clients: {}, pending: {}, codes: {}, sessions: {} });

export interface EncryptedStoreOptions {
  path: string;
  keys: StoreKeys;
  log: ServerLog;
}

export class EncryptedFileTokenStore implements TokenStore {
  private saving = Promise.resolve();

  private constructor(
    private readonly options: EncryptedStoreOptions,
    private state: StoreState,
  ) {}

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
    if (text === undefined) return new EncryptedFileTokenStore(options, emptyState());
    try {
      const sealed = JSON.parse(text) as SealedFile;
      const store = new EncryptedFileTokenStore(options, JSON.parse(unseal(sealed, options.keys)) as StoreState);
      if (sealed.keyId !== options.keys.current.id) {
        await store.save();
        options.log.info({ event: 'token_store_rekeyed', from: sealed.keyId, to: options.keys.current.id }, 'token store re-sealed with the current key');
      }
      return store;
    } catch (error) {
      if (!(error instanceof TamperedStoreError || error instanceof SyntaxError)) throw error;
      const asideTo = `${options.path}.rejected-${Date.now()}`;
      await rename(options.path, asideTo);
      options.log.error({ event: 'token_store_rejected', reason: error.message, movedTo: asideTo }, 'token store not trusted: starting empty, everyone signs in again');
      return new EncryptedFileTokenStore(options, emptyState());
    }
  }

  /** Keeps MSAL's token cache in this store: MSAL reads it before each cache access, and hands it back when changed. */
  msalCachePlugin(): ICachePlugin {
    return {
      beforeCacheAccess: async (context) => {
        if (this.state.msalCache) context.tokenCache.deserialize(this.state.msalCache);
      },
      afterCacheAccess: async (context) => {
        if (!context.cacheHasChanged) return;
        this.state.msalCache = context.tokenCache.serialize();
        await this.save();
      },
    };
  }

  async getClient(clientId: string) {
    return this.state.clients[clientId];
  }
  async saveClient(client: OAuthClientInformationFull) {
    this.state.clients[client.client_id] = client;
    await this.save();
  }

  async savePendingSignIn(stateHash: string, pending: PendingSignIn) {
    this.state.pending[stateHash] = pending;
    await this.save();
  }
  async takePendingSignIn(stateHash: string) {
    return this.take(this.state.pending, stateHash);
  }

  async saveCode(codeHash: string, code: IssuedCode) {
    this.state.codes[codeHash] = code;
    await this.save();
  }
  async getCode(codeHash: string) {
    return this.state.codes[codeHash];
  }
  async takeCode(codeHash: string) {
    return this.take(this.state.codes, codeHash);
  }

  async saveSession(session: Session) {
    this.state.sessions[session.id] = session;
    await this.save();
  }
  async sessionByAccessToken(accessTokenHash: string) {
    return Object.values(this.state.sessions).find((session) => session.accessTokenHash === accessTokenHash);
  }
  async sessionByRefreshToken(refreshTokenHash: string) {
    return Object.values(this.state.sessions).find((session) => session.refreshTokenHash === refreshTokenHash);
  }
  async deleteSession(sessionId: string) {
    delete this.state.sessions[sessionId];
    await this.save();
  }
  async deleteSessionsOf(oid: string) {
    for (const session of Object.values(this.state.sessions)) if (session.user.oid === oid) delete this.state.sessions[session.id];
    await this.save();
  }

  private async take<T>(entries: Record<string, T>, key: string): Promise<T | undefined> {
    const value = entries[key];
    if (value === undefined) return undefined;
    delete entries[key];
    await this.save();
    return value;
  }

  /** Seals the whole state to the file, one write at a time, leaving out what has expired. */
  private save(): Promise<void> {
    const write = async () => {
      this.dropExpired();
      await writeAtomically(this.options.path, JSON.stringify(seal(JSON.stringify(this.state), this.options.keys.current)));
    };
    this.saving = this.saving.then(write, write);
    return this.saving;
  }

  private dropExpired(): void {
    const now = nowSeconds();
    for (const [hash, pending] of Object.entries(this.state.pending)) if (pending.expiresAt < now) delete this.state.pending[hash];
    for (const [hash, code] of Object.entries(this.state.codes)) if (code.expiresAt < now) delete this.state.codes[hash];
    for (const [id, session] of Object.entries(this.state.sessions)) if (session.refreshExpiresAt < now) delete this.state.sessions[id];
  }
}
