// Everything the authorization server remembers, behind one interface. Lab 03 keeps it in memory;
// lab 04 makes it encrypted and persistent without touching the code that uses it.
// Secrets are stored only as hashes (see secrets.ts): every key below named `...Hash` is one.
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';

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
  id: string;
  clientId: string;
  scopes: string[];
  resource: string;
  user: SignedInUser;
  accessTokenHash: string;
  accessExpiresAt: number;
  refreshTokenHash: string;
  refreshExpiresAt: number;
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
  sessionByRefreshToken(refreshTokenHash: string): Promise<Session | undefined>;
  deleteSession(sessionId: string): Promise<void>;
  /** Ends every session of one user (their Entra sign-in is gone). */
  deleteSessionsOf(oid: string): Promise<void>;
}

export class InMemoryTokenStore implements TokenStore {
  private readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly sessions = new Map<string, Session>();

  async getClient(clientId: string) {
    return this.clients.get(clientId);
  }
  async saveClient(client: OAuthClientInformationFull) {
    this.clients.set(client.client_id, client);
  }

  async savePendingSignIn(stateHash: string, pending: PendingSignIn) {
    this.pending.set(stateHash, pending);
  }
  async takePendingSignIn(stateHash: string) {
    return take(this.pending, stateHash);
  }

  async saveCode(codeHash: string, code: IssuedCode) {
    this.codes.set(codeHash, code);
  }
  async getCode(codeHash: string) {
    return this.codes.get(codeHash);
  }
  async takeCode(codeHash: string) {
    return take(this.codes, codeHash);
  }

  async saveSession(session: Session) {
    this.sessions.set(session.id, session);
  }
  async sessionByAccessToken(accessTokenHash: string) {
    return [...this.sessions.values()].find((session) => session.accessTokenHash === accessTokenHash);
  }
  async sessionByRefreshToken(refreshTokenHash: string) {
    return [...this.sessions.values()].find((session) => session.refreshTokenHash === refreshTokenHash);
  }
  async deleteSession(sessionId: string) {
    this.sessions.delete(sessionId);
  }
  async deleteSessionsOf(oid: string) {
    for (const session of this.sessions.values()) if (session.user.oid === oid) this.sessions.delete(session.id);
  }
}

function take<T>(map: Map<string, T>, key: string): T | undefined {
  const value = map.get(key);
  map.delete(key);
  return value;
}
