// Everything the authorization server remembers, behind one interface. Lab 03 keeps it in memory;
// lab 04 makes it encrypted and persistent without touching the code that uses it.
// Secrets are stored only as hashes (see secrets.ts): every key below named `...Hash` is one, and so is
// a registered client's `client_secret`.
// Anyone on the network can make this server remember something (/register, /authorize), so every entry
// expires and every table an anonymous caller can fill has a cap: a flood costs the flooder, not the server.
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { nowSeconds } from './secrets.ts';

/** A sign-in in progress: the MCP client's request, waiting for Entra to send the user back. */
export interface PendingSignIn {
  clientId: string;
  /** The MCP client's own request: where to send the user back, its PKCE challenge, its `state`. */
  redirectUri: string;
  codeChallenge: string;
  clientState?: string;
  scopes: string[];
  /** The PKCE verifier and nonce of the server's own request to Entra. */
  entraVerifier: string;
  entraNonce: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Who signed in: enough to find their tokens in MSAL's cache, never the tokens themselves. */
export interface SignedInUser {
  /** The user's object id in the tenant. */
  oid: string;
  /** MSAL's key for the account (`oid.tid`). */
  homeAccountId: string;
  name?: string;
}

/** A one-time code the MCP client redeems at /token. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  resource: string;
  user: SignedInUser;
  expiresAt: number;
}

/** A signed-in MCP client: its session tokens (as hashes) and the user behind them. */
export interface Session {
  /** The grant: it stays the same across refreshes, so revoking it ends every token it ever issued. */
  id: string;
  clientId: string;
  scopes: string[];
  resource: string;
  user: SignedInUser;
  accessTokenHash: string;
  accessExpiresAt: number;
  refreshTokenHash: string;
  refreshExpiresAt: number;
  /** The refresh tokens this session has rotated out (newest last): one of them coming back means a copy exists. */
  usedRefreshTokenHashes?: string[];
}

/** The caps on what anyone can make the server remember. */
export const STORE_LIMITS = {
  /** Sign-ins waiting for Entra: /authorize is open to anyone with a client id. */
  pendingSignIns: 1000,
  /** Dynamically registered clients: /register is open to anyone. */
  registeredClients: 200,
  /** Rotated-out refresh tokens remembered per session, to recognise a replay. */
  usedRefreshTokens: 10,
};

/** The tables of the store, for a store that keeps them elsewhere too (lab 04 writes each change to disk). */
export type TableName = 'clients' | 'pending' | 'codes' | 'sessions';

/** One change: an entry written (`value`) or forgotten (no `value`). */
export interface StoreChange {
  table: TableName;
  key: string;
  value?: unknown;
}

export interface TokenStore {
  getClient(clientId: string): Promise<OAuthClientInformationFull | undefined>;
  saveClient(client: OAuthClientInformationFull): Promise<void>;

  savePendingSignIn(stateHash: string, pending: PendingSignIn): Promise<void>;
  /** Returns the entry and forgets it: a `state` works once. */
  takePendingSignIn(stateHash: string): Promise<PendingSignIn | undefined>;

  saveCode(codeHash: string, code: IssuedCode): Promise<void>;
  getCode(codeHash: string): Promise<IssuedCode | undefined>;
  /** Returns the entry and forgets it: a code works once. */
  takeCode(codeHash: string): Promise<IssuedCode | undefined>;

  saveSession(session: Session): Promise<void>;
  sessionByAccessToken(accessTokenHash: string): Promise<Session | undefined>;
  /** The session whose current refresh token this is, or which rotated it out earlier (a replay). */
  sessionByRefreshToken(refreshTokenHash: string): Promise<Session | undefined>;
  deleteSession(sessionId: string): Promise<void>;
  /** Ends every session of one user (their Entra sign-in is gone). */
  deleteSessionsOf(oid: string): Promise<void>;
  /** Called with a session's id whenever it ends: revoked, expired, replayed, or its user signed out. */
  onSessionEnded(listener: (sessionId: string) => void): void;

  /** How many entries each table holds (for checks and the benchmark). */
  counts(): Record<TableName, number>;
}

export interface InMemoryStoreOptions {
  /** Told of every change, after it is made (lab 04 persists them). */
  onChange?: (change: StoreChange) => void;
  /** How often expired entries are swept, at most (seconds). */
  sweepEverySeconds?: number;
}

export class InMemoryTokenStore implements TokenStore {
  // Maps keep insertion order: the first entry is the oldest, which is what a cap drops first.
  private readonly tables: Record<TableName, Map<string, unknown>> = { clients: new Map(), pending: new Map(), codes: new Map(), sessions: new Map() };
  private readonly endedListeners: Array<(sessionId: string) => void> = [];
  private nextSweep = 0;

  constructor(private readonly options: InMemoryStoreOptions = {}) {}

  private get clients() {
    return this.tables.clients as Map<string, OAuthClientInformationFull>;
  }
  private get pending() {
    return this.tables.pending as Map<string, PendingSignIn>;
  }
  private get codes() {
    return this.tables.codes as Map<string, IssuedCode>;
  }
  private get sessions() {
    return this.tables.sessions as Map<string, Session>;
  }

  async getClient(clientId: string) {
    return this.clients.get(clientId);
  }
  async saveClient(client: OAuthClientInformationFull) {
    this.sweepIfDue();
    this.put('clients', client.client_id, client);
    if (this.clients.size > STORE_LIMITS.registeredClients) this.remove('clients', this.leastValuableClient());
  }

  async savePendingSignIn(stateHash: string, pending: PendingSignIn) {
    this.sweepIfDue();
    this.put('pending', stateHash, pending);
    if (this.pending.size > STORE_LIMITS.pendingSignIns) this.remove('pending', this.pending.keys().next().value!);
  }
  async takePendingSignIn(stateHash: string) {
    return this.take(this.pending, 'pending', stateHash);
  }

  async saveCode(codeHash: string, code: IssuedCode) {
    this.sweepIfDue();
    this.put('codes', codeHash, code);
  }
  async getCode(codeHash: string) {
    return this.codes.get(codeHash);
  }
  async takeCode(codeHash: string) {
    return this.take(this.codes, 'codes', codeHash);
  }

  async saveSession(session: Session) {
    this.sweepIfDue();
    this.put('sessions', session.id, session);
  }
  async sessionByAccessToken(accessTokenHash: string) {
    return [...this.sessions.values()].find((session) => session.accessTokenHash === accessTokenHash);
  }
  async sessionByRefreshToken(refreshTokenHash: string) {
    return [...this.sessions.values()].find(
      (session) => session.refreshTokenHash === refreshTokenHash || session.usedRefreshTokenHashes?.includes(refreshTokenHash),
    );
  }
  async deleteSession(sessionId: string) {
    this.remove('sessions', sessionId);
  }
  async deleteSessionsOf(oid: string) {
    for (const session of [...this.sessions.values()]) if (session.user.oid === oid) this.remove('sessions', session.id);
  }
  onSessionEnded(listener: (sessionId: string) => void) {
    this.endedListeners.push(listener);
  }

  counts() {
    return { clients: this.clients.size, pending: this.pending.size, codes: this.codes.size, sessions: this.sessions.size };
  }

  // TODO(03.7): Forget every entry whose time is up: pending sign-ins and codes past `expiresAt`, sessions past `refreshExpiresAt`; clients whose secret has expired.
  /** Drops every expired entry. Runs by itself at most once a minute, on the next write. */
  sweepExpired(now = nowSeconds()): void {
    // Nothing is forgotten yet: see step 7 in the README.
  }

  /** Every live entry, as the change that would recreate it (lab 04 rewrites its file from these). */
  *entries(): Generator<Required<StoreChange>> {
    for (const table of Object.keys(this.tables) as TableName[]) for (const [key, value] of this.tables[table]) yield { table, key, value };
  }

  /** Puts back what a change log recorded (lab 04, when it opens its file), without reporting it as new. */
  restore({ table, key, value }: StoreChange): void {
    if (value === undefined) this.tables[table].delete(key);
    else this.tables[table].set(key, value);
  }

  private sweepIfDue(): void {
    const now = nowSeconds();
    if (now < this.nextSweep) return;
    this.nextSweep = now + (this.options.sweepEverySeconds ?? 60);
    this.sweepExpired(now);
  }

  /** The client to drop when the table is full: the oldest one no session uses; failing that, the oldest. */
  private leastValuableClient(): string {
    const inUse = new Set([...this.sessions.values()].map((session) => session.clientId));
    for (const id of this.clients.keys()) if (!inUse.has(id)) return id;
    return this.clients.keys().next().value!;
  }

  private put(table: TableName, key: string, value: unknown): void {
    this.tables[table].delete(key); // a rewrite counts as new: it moves to the end of the line
    this.tables[table].set(key, value);
    this.options.onChange?.({ table, key, value });
  }

  private remove(table: TableName, key: string): void {
    if (!this.tables[table].delete(key)) return;
    this.options.onChange?.({ table, key });
    if (table === 'sessions') for (const listener of this.endedListeners) listener(key);
  }

  private take<T>(map: Map<string, T>, table: TableName, key: string): T | undefined {
    const value = map.get(key);
    if (value !== undefined) this.remove(table, key);
    return value;
  }
}
