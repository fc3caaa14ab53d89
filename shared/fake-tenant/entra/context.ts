// What every authority handler works with: the tenant's state and the request being answered.
import type { Faults } from '../faults.ts';
import type { GrantStore } from '../grants/store.ts';
import type { Minter } from '../tokens.ts';

export interface AuthoritySettings {
  /**
   * Rotate refresh tokens: each refresh returns a new one and the old one stops working. Entra itself
   * keeps the old one valid; the course teaches rotation, so this is the default.
   */
  rotateRefreshTokens: boolean;
  /** Seconds a device-code client waits between polls (Entra says 5). */
  deviceCodeIntervalSeconds: number;
}

/** The tenant as the authority handlers see it. */
export interface Authority extends Minter {
  grants: GrantStore;
  faults: Faults;
  settings: AuthoritySettings;
}

/** The request being answered. */
export interface Call {
  request: Request;
  url: URL;
  /** `https://login.microsoftonline.com` in mock mode; issuers and endpoints are built from it. */
  origin: string;
  /** The `{tenant}` path segment as the client wrote it. */
  tenant: string;
  correlationId: string | null;
}
