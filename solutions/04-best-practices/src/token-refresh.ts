// The user's Entra token for Graph, as the server holds it. MSAL renews a token five minutes before it
// expires (a margin for clocks that disagree and for requests in flight), so a token handed to Graph
// never dies on the way; do not keep tokens yourself, ask MSAL each time. What MSAL does not do is
// coordinate: fifty tool calls arriving as the token comes up for renewal would send fifty refresh
// requests, and with rotating refresh tokens all but one can fail. So each user has at most one
// acquisition in flight, and everyone waiting shares its result (single flight).
import { InteractionRequiredAuthError, type ConfidentialClientApplication } from '@azure/msal-node';
import { GRAPH_SCOPES } from '../../03-confidential-client/src/entra-client.ts';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import type { SignedInUser } from '../../03-confidential-client/src/token-store.ts';

/** Entra no longer accepts the user's sign-in (invalid_grant: revoked, expired, password changed). */
export class SignInRequiredError extends Error {
  override name = 'SignInRequiredError';
  constructor() {
    super('Your sign-in has expired. Sign in again.');
  }
}

export interface GraphTokenOptions {
  msal: ConfidentialClientApplication;
  /** Ends the user's sessions: their MCP client's next request gets 401 and signs them in again. */
  endSessionsOf: (user: SignedInUser) => Promise<void>;
  log: ServerLog;
}

export class GraphTokens {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly options: GraphTokenOptions) {}

  // TODO(04.6): At most one acquisition per user at a time: a caller arriving while one runs waits for it; the next one after it settles starts afresh.
  /** An access token for Graph, for this user: from MSAL's cache, or refreshed once for all callers. */
  getToken(user: SignedInUser): Promise<string> {
    // #region solution
    // #starter return this.acquire(user); // every caller on its own: see step 6 in the README
    const running = this.inFlight.get(user.homeAccountId);
    if (running) return running;
    const acquisition = this.acquire(user).finally(() => this.inFlight.delete(user.homeAccountId));
    this.inFlight.set(user.homeAccountId, acquisition);
    return acquisition;
    // #endregion
  }

  private async acquire(user: SignedInUser): Promise<string> {
    const account = await this.options.msal.getTokenCache().getAccountByHomeId(user.homeAccountId);
    if (!account) return this.signInAgain(user);
    try {
      // From the cache while the token has more than five minutes left; otherwise one refresh request.
      return (await this.options.msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES })).accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) return this.signInAgain(user);
      throw error;
    }
  }

  private async signInAgain(user: SignedInUser): Promise<never> {
    this.options.log.warn({ event: 'entra_sign_in_required', oid: user.oid }, 'Entra wants the user to sign in again: ending their sessions');
    await this.options.endSessionsOf(user);
    throw new SignInRequiredError();
  }
}
