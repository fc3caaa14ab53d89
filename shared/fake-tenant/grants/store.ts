// What the authority remembers between requests: authorization codes, refresh tokens, device codes
// and browser sign-in sessions. Codes and tokens are opaque random strings (only the tenant can read
// them), unlike access tokens, which are JWTs any API can verify. Refresh tokens and session cookies
// outlive a request by far, so the store keeps only their SHA-256: what it holds (and what a hand run's
// tenant saves to disk, saved-state.ts) opens nothing by itself.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Codes live 10 minutes, as in Entra. */
export const CODE_LIFETIME_MS = 10 * 60_000;
/** A refresh token unused for 90 days expires (Entra's inactivity window). */
export const REFRESH_INACTIVITY_MS = 90 * 86_400_000;
/** Device codes live 15 minutes. */
export const DEVICE_CODE_LIFETIME_S = 900;

/** Entra's codes and refresh tokens are opaque strings that start `1.A`. */
const opaqueToken = () => `1.A${randomBytes(48).toString('base64url')}`;

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  issuedAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  userId: string;
  issuedAt: number;
  lastUsedAt: number;
  /** Revoked by an administrator (or `faults.revokeRefreshTokens`). */
  revoked: boolean;
  /** Already exchanged for a new refresh token (rotation). */
  redeemed: boolean;
}

export interface DeviceAuthorization {
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  status: 'pending' | 'approved' | 'declined';
  userId?: string;
  /** `performance.now()` of the last poll: how fast a client polls is measured in real time. */
  lastPollAt?: number;
}

export interface SignInSession {
  userId: string;
  createdAt: number;
}

/** What the store keys a refresh token or a session cookie by: its SHA-256, never the value. */
export const grantHash = (value: string) => createHash('sha256').update(value).digest('base64url');

export class GrantStore {
  readonly codes = new Map<string, AuthorizationCode>();
  /** Keyed by the refresh token's hash (grantHash). */
  readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Keyed by device_code. */
  readonly deviceCodes = new Map<string, DeviceAuthorization>();
  /** The device_codes issued since the last clear (the last 1000), redeemed or not: for checks that prove none leaks. */
  readonly deviceCodesIssued: string[] = [];
  /** Keyed by the session cookie's hash (grantHash). */
  readonly sessions = new Map<string, SignInSession>();

  issueCode(code: Omit<AuthorizationCode, 'redeemed'>): string {
    const value = opaqueToken();
    this.codes.set(value, { ...code, redeemed: false });
    return value;
  }

  issueRefreshToken(grant: { clientId: string; userId: string; now: number }): string {
    const value = opaqueToken();
    this.refreshTokens.set(grantHash(value), {
      clientId: grant.clientId,
      userId: grant.userId,
      issuedAt: grant.now,
      lastUsedAt: grant.now,
      revoked: false,
      redeemed: false,
    });
    return value;
  }

  /** Revokes every refresh token and sign-in session of a user; returns how many tokens were revoked. */
  revokeUser(userId: string): number {
    let count = 0;
    for (const grant of this.refreshTokens.values()) {
      if (grant.userId === userId && !grant.revoked) {
        grant.revoked = true;
        count += 1;
      }
    }
    for (const [id, session] of this.sessions) if (session.userId === userId) this.sessions.delete(id);
    return count;
  }

  /** The grant a presented refresh token stands for, if the tenant issued it. */
  refreshGrant(value: string): RefreshGrant | undefined {
    return this.refreshTokens.get(grantHash(value));
  }

  issueDeviceCode(request: { clientId: string; scope: string; expiresAt: number }): { deviceCode: string; userCode: string } {
    const deviceCode = randomBytes(64).toString('base64url');
    const userCode = newUserCode();
    this.deviceCodes.set(deviceCode, { ...request, userCode, status: 'pending' });
    if (this.deviceCodesIssued.push(deviceCode) > 1000) this.deviceCodesIssued.shift(); // a long-running tenant stays bounded
    return { deviceCode, userCode };
  }

  deviceByUserCode(userCode: string): DeviceAuthorization | undefined {
    const wanted = userCode.trim().toUpperCase();
    return [...this.deviceCodes.values()].find((device) => device.userCode === wanted);
  }

  /** A browser sign-in session; returns the cookie's value. */
  startSession(userId: string, now: number): string {
    const id = randomUUID();
    this.sessions.set(grantHash(id), { userId, createdAt: now });
    return id;
  }

  /** The sign-in session a cookie's value stands for. */
  session(cookieValue: string): SignInSession | undefined {
    return this.sessions.get(grantHash(cookieValue));
  }

  endSession(cookieValue: string): void {
    this.sessions.delete(grantHash(cookieValue));
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.deviceCodes.clear();
    this.deviceCodesIssued.length = 0;
    this.sessions.clear();
  }
}

/** Eight characters a person can type: no 0/O or 1/I. */
function newUserCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
