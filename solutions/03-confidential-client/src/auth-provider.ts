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
    // #region solution
    // The SDK lets a loopback redirect URI differ in its port (RFC 8252); this server wants the exact one
    // the client registered. An unregistered URI gets an error page, never a redirect to it.
    if (!client.redirect_uris.includes(params.redirectUri)) {
      res.status(400).json({ error: 'invalid_request', error_description: 'The redirect URI is not registered for this client.' });
      return;
    }
    // The resource is this server, or a path on it (/mcp); a token for anything else is not ours to issue.
    if (params.resource && !checkResourceAllowed({ requestedResource: params.resource, configuredResource: this.options.resource })) {
      throw new InvalidTargetError('This server issues tokens for itself only.');
    }
    const state = newSecret();
    const nonce = newSecret();
    const entraPkce = await this.pkce.generatePkceCodes();
    await this.options.store.savePendingSignIn(hashSecret(state), {
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      clientState: params.state,
      scopes: [MCP_SCOPE], // the one scope this server grants, whatever else the client asked for
      entraVerifier: entraPkce.verifier,
      entraNonce: nonce,
      expiresAt: nowSeconds() + LIFETIMES.pendingSignIn,
    });
    const entraUrl = await this.options.msal.getAuthCodeUrl({
      scopes: GRAPH_SCOPES,
      redirectUri: this.options.entraRedirectUri,
      codeChallenge: entraPkce.challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
    });
    res.redirect(302, entraUrl);
    // #endregion
  }

  // TODO(03.2): Take the pending sign-in by its state (once, unexpired), redeem Entra's code, and send the MCP client its own one-time code.
  /** GET /auth/callback: Entra sends the user's browser here with `code` and `state`. */
  async handleCallback(req: Request, res: Response): Promise<void> {
    // #region solution
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    const pending = state ? await this.options.store.takePendingSignIn(hashSecret(state)) : undefined;
    if (!pending || pending.expiresAt < nowSeconds()) {
      this.options.log.warn({ event: 'sign_in_failed', reason: 'unknown_or_expired_state' }, 'a callback with an unknown, used or expired state');
      res.status(400).json({ error: 'invalid_request', error_description: 'This sign-in is unknown, used or expired. Start again from your MCP client.' });
      return;
    }
    const back = new URL(pending.redirectUri);
    if (pending.clientState !== undefined) back.searchParams.set('state', pending.clientState);
    if (!code) {
      // Entra answered with an error (the user cancelled, say): tell the client, in its own terms.
      this.options.log.warn({ event: 'sign_in_failed', reason: 'entra_error', clientId: pending.clientId }, 'Entra sent the user back without a code');
      back.searchParams.set('error', 'access_denied');
      res.redirect(302, back.href);
      return;
    }
    let user: SignedInUser;
    try {
      const result = await this.options.msal.acquireTokenByCode({
        code,
        scopes: GRAPH_SCOPES,
        redirectUri: this.options.entraRedirectUri,
        codeVerifier: pending.entraVerifier,
        state,
        nonce: pending.entraNonce, // MSAL checks the id token carries it: the answer belongs to this request
      });
      if (!result.account) throw new Error('Entra returned no account');
      // MSAL keeps the tokens in its cache; the server keeps only the key to the account.
      user = { oid: result.account.localAccountId, homeAccountId: result.account.homeAccountId, name: result.account.name };
    } catch (error) {
      this.options.log.warn({ event: 'sign_in_failed', reason: errorName(error), clientId: pending.clientId }, 'Entra did not redeem the code');
      back.searchParams.set('error', 'access_denied');
      res.redirect(302, back.href);
      return;
    }
    const mcpCode = newSecret();
    await this.options.store.saveCode(hashSecret(mcpCode), {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      scopes: pending.scopes,
      resource: this.options.resource.href,
      user,
      expiresAt: nowSeconds() + LIFETIMES.code,
    });
    this.options.log.info({ event: 'sign_in', oid: user.oid, clientId: pending.clientId }, 'signed in');
    back.searchParams.set('code', mcpCode);
    res.redirect(302, back.href);
    // #endregion
  }

  /** The SDK checks the client's PKCE verifier against this before calling exchangeAuthorizationCode. */
  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    const issued = await this.options.store.getCode(hashSecret(authorizationCode));
    if (!issued || issued.clientId !== client.client_id) throw new InvalidGrantError('The authorization code is not valid.');
    return issued.codeChallenge;
  }

  // TODO(03.3): Redeem the one-time code for a session: opaque tokens, stored as hashes, with an expiry.
  async exchangeAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string, _codeVerifier?: string, redirectUri?: string): Promise<OAuthTokens> {
    // #region solution
    const issued = await this.options.store.takeCode(hashSecret(authorizationCode)); // once only
    if (!issued || issued.clientId !== client.client_id || issued.expiresAt < nowSeconds()) {
      throw new InvalidGrantError('The authorization code is not valid.');
    }
    if (redirectUri !== undefined && redirectUri !== issued.redirectUri) throw new InvalidGrantError('The redirect URI does not match.');
    return this.startSession({ id: randomUUID(), clientId: client.client_id, scopes: issued.scopes, resource: issued.resource, user: issued.user });
    // #endregion
  }

  // TODO(03.3): Rotate: a refresh token works once and gives a new pair.
  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    // #region solution
    const hash = hashSecret(refreshToken);
    const session = await this.options.store.sessionByRefreshToken(hash);
    if (!session || session.clientId !== client.client_id || session.refreshExpiresAt < nowSeconds()) {
      throw new InvalidGrantError('The refresh token is not valid.');
    }
    if (session.refreshTokenHash !== hash) {
      // A refresh token that was already rotated out is back: two parties hold this grant, and the server
      // cannot tell the thief from the owner. End the grant for both (RFC 9700, 4.14.2); the owner signs in again.
      this.options.log.warn({ event: 'refresh_token_reused', oid: session.user.oid, clientId: client.client_id }, 'a used refresh token came back: the session ends');
      await this.options.store.deleteSession(session.id);
      throw new InvalidGrantError('The refresh token is not valid.');
    }
    return this.startSession(session); // new hashes replace the old ones: the old tokens stop working
    // #endregion
  }

  // TODO(03.3): A live session token gives AuthInfo (expiresAt in epoch seconds); anything else is InvalidTokenError.
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    // #region solution
    const session = await this.options.store.sessionByAccessToken(hashSecret(token));
    // A short, fixed message: it goes into the WWW-Authenticate header as it is, and tells an attacker nothing.
    if (!session || session.accessExpiresAt < nowSeconds()) throw new InvalidTokenError('The token is not valid.');
    const identity: SessionIdentity = { sessionId: session.id, user: session.user };
    return {
      token,
      clientId: session.clientId,
      scopes: session.scopes,
      expiresAt: session.accessExpiresAt, // seconds, as the SDK compares it with Date.now() / 1000
      resource: new URL(session.resource),
      extra: identity,
    };
    // #endregion
  }

  // TODO(03.3): Revoking either token of a session ends the session.
  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    // #region solution
    const hash = hashSecret(request.token);
    const session = (await this.options.store.sessionByAccessToken(hash)) ?? (await this.options.store.sessionByRefreshToken(hash));
    // An unknown token, or another client's, is not an error (RFC 7009): there is just nothing to do.
    if (session?.clientId === client.client_id) await this.options.store.deleteSession(session.id);
    // #endregion
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
