// Microsoft Graph under load. Graph answers 429 Too Many Requests with a Retry-After header when a caller
// asks too much. One retry layer, deliberately configured: the Graph client's own RetryHandler, which
// backs off exponentially with jitter and honours Retry-After. It gives up after a few attempts, and at
// once when Graph asks for a longer wait than a tool call can afford, so a call never hangs. On top, each
// user's /me is kept for a short while: a chatty client does not turn every tool call into a Graph call.
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';

export const GRAPH_RETRY = {
  /** The base back-off, in seconds, when Graph sends no Retry-After. */
  delaySeconds: 1,
  /** Retries after the first attempt. */
  maxRetries: 3,
  /** The longest Retry-After worth waiting for; a longer one fails the call at once. */
  maxWaitSeconds: 5,
};

/** How long a user's /me is reused. Short: a renamed user shows up within a minute. */
export const PROFILE_TTL_SECONDS = 60;

/** Graph's Retry-After, in seconds (a number or an HTTP date; none: 0). */
export function retryAfterSeconds(response: Pick<Response, 'headers'> | undefined): number {
  const value = response?.headers?.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  return Number.isNaN(seconds) ? Math.max(0, Math.ceil((Date.parse(value) - Date.now()) / 1000)) : seconds;
}

// TODO(04.4): A Graph client whose RetryHandler uses GRAPH_RETRY: at most maxRetries retries, and none when Retry-After exceeds maxWaitSeconds.
export function graphClient(getAccessToken: () => Promise<string>): Client {
  // #region solution
  const retry = new RetryHandlerOptions(
    GRAPH_RETRY.delaySeconds,
    GRAPH_RETRY.maxRetries,
    (_delay, _attempt, _request, _options, response) => retryAfterSeconds(response) <= GRAPH_RETRY.maxWaitSeconds,
  );
  // The default chain, in its order, with our retry options instead of the defaults (3 s, up to 180 s waits).
  return Client.initWithMiddleware({
    middleware: [new AuthenticationHandler({ getAccessToken }), new RetryHandler(retry), new RedirectHandler(), new TelemetryHandler(), new HTTPMessageHandler()],
  });
  // #endregion
}

// TODO(04.4): Keep each user's profile for PROFILE_TTL_SECONDS: calls in that time, even at the same moment, share one Graph request; a failure is not kept.
export class ProfileCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; profile: Promise<T> }>();

  constructor(private readonly ttlSeconds = PROFILE_TTL_SECONDS) {}

  get(userId: string, load: () => Promise<T>): Promise<T> {
    // #region solution
    // #starter return load(); // a Graph call every time: see step 4 in the README
    const now = Date.now();
    const cached = this.entries.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    // Keep the promise, not the value: callers arriving while Graph answers wait for the same request.
    const entry = { expiresAt: now + this.ttlSeconds * 1000, profile: load() };
    this.entries.set(userId, entry);
    entry.profile.catch(() => {
      if (this.entries.get(userId) === entry) this.entries.delete(userId); // the next call tries again
    });
    return entry.profile;
    // #endregion
  }

  /** Forgets a user (signed out, or their sessions ended). */
  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
