// The MCP server as an OAuth authorization server for MCP clients, which signs users in with Entra ID.
// Two legs, two sets of credentials:
//   MCP client ⇄ this server: the client's PKCE, a one-time code, then this server's opaque session tokens.
//   this server ⇄ Entra ID: the server's own PKCE and nonce, its client secret, then Entra's tokens,
//   which stay in MSAL's cache on the server and never reach the MCP client.
// The SDK's mcpAuthRouter serves /authorize, /token, /register, /revoke and the metadata around this class.
import { randomUUID } from 'node:crypto';
import { CryptoProvider, type ConfidentialClientApplication } from '@azure/msal-node';
import { InvalidClientMetadataError, InvalidGrantError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type { Request, Response } from 'express';
import { REMOTE_SERVER_SCOPE } from '#shared/entra/course-apps.ts';
import { withHashedSecret } from './client-secrets.ts';
import { GRAPH_SCOPES } from './entra-client.ts';
import { hashSecret, newSecret, nowSeconds } from './secrets.ts';
import type { ServerLog } from './server-log.ts';
import { STORE_LIMITS, type Session, type SignedInUser, type TokenStore } from './token-store.ts';
import { todo } from '#shared/workbook/todo.ts';

/** How long each thing lives, in seconds. */
export const LIFETIMES = {
  /** A sign-in at Entra: time enough to type a password, not to keep a link around. */
  pendingSignIn: 10 * 60,
  /** The code the MCP client redeems at once. */
  code: 60,
  accessToken: 60 * 60,
  refreshToken: 14 * 24 * 60 * 60,
};

/**
 * How much of a request the server keeps, at most. Anyone can call /register and /authorize, and what
 * they send is stored until it expires: without a bound, a few thousand requests fill the memory.
 */
export const REQUEST_LIMITS = {
  /** The client's `state`, kept until Entra sends the user back. Clients send 32 to 64 characters. */
  state: 512,
  /** An S256 challenge is 43 characters. */
  codeChallenge: 128,
  redirectUri: 512,
  redirectUris: 5,
  /** A whole client registration, as JSON. */
  clientMetadataBytes: 2048,
};

/** What every session token carries, and what /mcp requires: the scope name lab 01 registered for the server. */
export const MCP_SCOPE = REMOTE_SERVER_SCOPE.value;

export interface AuthProviderOptions {
  msal: ConfidentialClientApplication;
  store: TokenStore;
  /** Where Entra sends the user back: `${baseUrl}/auth/callback`, registered on the app. */
  entraRedirectUri: string;
  /** The protected resource: this server (its origin), whose MCP endpoints are /mcp and the legacy /sse. */
  resource: URL;
  log: ServerLog;
}

/** What a verified session token tells a tool (`extra.authInfo.extra`). */
export interface SessionIdentity extends Record<string, unknown> {
  sessionId: string;
  user: SignedInUser;
}

export class EntraIdServerAuthProvider implements OAuthServerProvider {
  readonly clientsStore: OAuthRegisteredClientsStore;
  private readonly pkce = new CryptoProvider();

  constructor(private readonly options: AuthProviderOptions) {
    const { store } = options;
    this.clientsStore = {
      getClient: (clientId) => store.getClient(clientId),
      // Dynamic registration, as MCP clients expect (Entra has none: this server is their authorization server).
      registerClient: async (client) => {
        const full = client as OAuthClientInformationFull; // the SDK's handler has set client_id already
        const tooBig = oversizedRegistration(full);
        if (tooBig) throw new InvalidClientMetadataError(tooBig);
        await store.saveClient(withHashedSecret(full));
        return full; // the one answer that carries a client secret in plain text
      },
    };
  }

  // TODO(03.1): Check the client's redirect URI exactly, remember the request under a single-use state, and send the user to Entra.
  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    if ((params.state?.length ?? 0) > REQUEST_LIMITS.state || params.codeChallenge.length > REQUEST_LIMITS.codeChallenge) {
      res.status(400).json({ error: 'invalid_request', error_description: `state may be at most ${REQUEST_LIMITS.state} characters, code_challenge ${REQUEST_LIMITS.codeChallenge}.` });
      return;
    }
    throw todo('03.1');
  }

  // TODO(03.2): Take the pending sign-in by its state (once, unexpired), redeem Entra's code, and send the MCP client its own one-time code.
  /** GET /auth/callback: Entra sends the user's browser here with `code` and `state`. */
  async handleCallback(req: Request, res: Response): Promise<void> {
    throw todo('03.2');
  }

  /** The SDK checks the client's PKCE verifier against this before calling exchangeAuthorizationCode. */
  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    const issued = await this.options.store.getCode(hashSecret(authorizationCode));
    if (!issued || issued.clientId !== client.client_id) throw new InvalidGrantError('The authorization code is not valid.');
    return issued.codeChallenge;
  }

  // TODO(03.3): Redeem the one-time code for a session: opaque tokens, stored as hashes, with an expiry.
  async exchangeAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string, _codeVerifier?: string, redirectUri?: string): Promise<OAuthTokens> {
    throw todo('03.3');
  }

  // TODO(03.3): Rotate: a refresh token works once and gives a new pair.
  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    throw todo('03.3');
  }

  // TODO(03.3): A live session token gives AuthInfo (expiresAt in epoch seconds); anything else is InvalidTokenError.
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    throw todo('03.3');
  }

  // TODO(03.3): Revoking either token of a session ends the session.
  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    throw todo('03.3');
  }

  /** Ends every session of a user whose Entra sign-in no longer works: their next request gets 401. */
  async endSessionsOf(user: SignedInUser): Promise<void> {
    await this.options.store.deleteSessionsOf(user.oid);
  }

  /** New tokens for a session; only their hashes are stored. A refreshed session remembers the refresh token it replaces. */
  private async startSession(session: Pick<Session, 'id' | 'clientId' | 'scopes' | 'resource' | 'user'> & Partial<Session>): Promise<OAuthTokens> {
    const accessToken = newSecret();
    const refreshToken = newSecret();
    const now = nowSeconds();
    await this.options.store.saveSession({
      id: session.id,
      clientId: session.clientId,
      scopes: session.scopes,
      resource: session.resource,
      user: session.user,
      accessTokenHash: hashSecret(accessToken),
      accessExpiresAt: now + LIFETIMES.accessToken,
      refreshTokenHash: hashSecret(refreshToken),
      refreshExpiresAt: now + LIFETIMES.refreshToken,
      usedRefreshTokenHashes: session.refreshTokenHash
        ? [...(session.usedRefreshTokenHashes ?? []), session.refreshTokenHash].slice(-STORE_LIMITS.usedRefreshTokens)
        : [],
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: LIFETIMES.accessToken,
      refresh_token: refreshToken,
      scope: session.scopes.join(' '),
    };
  }
}

/** Why a registration is too big to keep, or undefined. */
function oversizedRegistration(client: OAuthClientInformationFull): string | undefined {
  if (client.redirect_uris.length > REQUEST_LIMITS.redirectUris) return `At most ${REQUEST_LIMITS.redirectUris} redirect URIs.`;
  if (client.redirect_uris.some((uri) => uri.length > REQUEST_LIMITS.redirectUri)) return `A redirect URI may be at most ${REQUEST_LIMITS.redirectUri} characters.`;
  if (Buffer.byteLength(JSON.stringify(client)) > REQUEST_LIMITS.clientMetadataBytes) return `The client metadata may be at most ${REQUEST_LIMITS.clientMetadataBytes} bytes.`;
  return undefined;
}

/** For logs: the kind of error and MSAL's error code, never its message (it can quote request values). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return 'errorCode' in error ? `${error.name} ${String(error.errorCode)}` : error.name;
  return typeof error;
}
