// Fault injection: what a check does to make the tenant misbehave the way a real one sometimes does.
import { EntraError } from './entra/errors.ts';

export interface FaultTargets {
  /** Rotates the signing keys (see SigningKeys.rotate). */
  rotateKeys(options?: { dropOld?: boolean }): Promise<void>;
  /** Revokes a user's refresh tokens and sessions; returns how many tokens were revoked. */
  revokeRefreshTokens(userOidOrUpn: string): number;
}

export class Faults {
  private graphThrottles: number[] = [];
  private tokenFailures: EntraError[] = [];

  constructor(private readonly targets: FaultTargets) {}

  /** The next `count` Graph requests answer 429 with `Retry-After: retryAfterSeconds`. */
  throttleGraph(count: number, retryAfterSeconds = 1): void {
    for (let i = 0; i < count; i += 1) this.graphThrottles.push(retryAfterSeconds);
  }

  /** For the Graph handler: consumes one pending throttle, if any. */
  takeGraphThrottle(): { retryAfterSeconds: number } | undefined {
    const retryAfterSeconds = this.graphThrottles.shift();
    return retryAfterSeconds === undefined ? undefined : { retryAfterSeconds };
  }

  /** A new signing key; `dropOld` also withdraws the previous one from the JWKS at once. */
  rotateKeys(options: { dropOld?: boolean } = {}): Promise<void> {
    return this.targets.rotateKeys(options);
  }

  /** An administrator revoked the user's sessions: their refresh tokens fail with AADSTS50173. */
  revokeRefreshTokens(userOidOrUpn: string): number {
    return this.targets.revokeRefreshTokens(userOidOrUpn);
  }

  /** The next token request fails with this AADSTS code, whatever it asked for. */
  failNextToken(aadstsCode: number, error = 'invalid_grant', description = 'The fake tenant was told to fail this request.'): void {
    this.tokenFailures.push(new EntraError(aadstsCode, error, description));
  }

  /** For the token endpoint: consumes one injected failure, if any. */
  takeTokenFailure(): EntraError | undefined {
    return this.tokenFailures.shift();
  }

  /** Forgets pending faults (key rotations and revocations already happened and stay). */
  reset(): void {
    this.graphThrottles = [];
    this.tokenFailures = [];
  }
}
