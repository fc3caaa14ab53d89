// Inbound limits: how many requests one signed-in user may send per minute. Keyed by the user, not the
// IP address: a whole office shares one address behind NAT, and one user can come from many. It runs
// after the bearer check, so the user is known (and unauthenticated floods are already turned away).
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { SessionIdentity } from '../../03-confidential-client/src/auth-provider.ts';

export interface RateLimit {
  windowSeconds: number;
  /** Requests per user per window. */
  limit: number;
}

export const RATE_LIMIT: RateLimit = { windowSeconds: 60, limit: 300 };

const userOf = (req: Request) => (req.auth?.extra as SessionIdentity).user.oid;

// TODO(04.4): express-rate-limit, keyed by the user's oid, answering 429 with Retry-After and a JSON-RPC error.
export function perUserRateLimit(options: RateLimit = RATE_LIMIT): RequestHandler {
  // #region solution
  // #starter return (_req, _res, next) => next(); // no limit: see step 4 in the README
  return rateLimit({
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    keyGenerator: userOf,
    standardHeaders: 'draft-8', // RateLimit and RateLimit-Policy headers; Retry-After comes with every 429
    legacyHeaders: false,
    message: { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Too many requests: slow down and retry after the time in Retry-After.' } },
  });
  // #endregion
}
