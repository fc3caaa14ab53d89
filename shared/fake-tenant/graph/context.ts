// What the Microsoft Graph handler (routes.ts) gets from the tenant: the directory, a way to check the
// bearer tokens it receives, the throttling faults a check injected, and the tenant's clock.
import type { JWTPayload } from 'jose';
import type { TenantModel } from '../model.ts';

export interface GraphContext {
  model: TenantModel;
  /**
   * Verifies a token's signature with the tenant's published keys, and its `exp`/`nbf` against the
   * tenant's clock; returns the claims, throws otherwise. The audience is Graph's to check.
   */
  verifyToken(jwt: string): Promise<JWTPayload>;
  /** One pending injected 429 for Graph, if any (consumed by the call). */
  takeGraphThrottle(): { retryAfterSeconds: number } | undefined;
  /** Epoch milliseconds. */
  now(): number;
}
