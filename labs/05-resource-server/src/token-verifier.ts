// The bearer check: is this an Entra access token issued by your tenant, for this API, now valid, on
// behalf of a user who granted the scope? jose does the cryptography; this file decides what to accept.
// A refused token gets one short, fixed message (the client learns nothing about which check failed),
// and the reason is logged here, on the server, as a structured event, without the token.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { stderrLog, type Log } from './log.ts';
import { todo } from '#shared/workbook/todo.ts';

/** Clocks differ a little between Entra and your server: accept this much, no more. */
export const CLOCK_SKEW_SECONDS = 60;
/** What every refused token's client sees. Short, fixed, and free of quotes that would break the header. */
export const REFUSED = 'The access token is not valid.';

export interface VerifierOptions {
  /** The tenant's authority, `https://login.microsoftonline.com/{tenant}`. */
  authority: string;
  /** This API's Application (client) ID: v2 tokens for it carry it in `aud`. */
  clientId: string;
  /** Where the refusals go, as `token_refused` events (default: JSON lines on stderr). */
  log?: Log;
}

interface Discovered {
  issuer: string;
  tenantId: string;
  keys: JWTVerifyGetKey;
}

/** Reads the tenant's discovery document once: its issuer and where its signing keys are. */
async function discover(authority: string): Promise<Discovered> {
  const response = await fetch(`${authority}/v2.0/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`Entra discovery failed: ${response.status} from ${authority}.`);
  const { issuer, jwks_uri } = (await response.json()) as { issuer: string; jwks_uri: string };
  return {
    issuer, // https://login.microsoftonline.com/{tenant id}/v2.0, the tenant as a GUID even if you named a domain
    tenantId: new URL(issuer).pathname.split('/')[1]!,
    // jose caches the keys and refetches them only for an unknown `kid`, at most once per cooldown:
    // a flood of tokens with made-up kids cannot make your server hammer Entra.
    keys: createRemoteJWKSet(new URL(jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }),
  };
}

/** Why jose refused a token, in words for the server's log. */
function reasonFor(error: errors.JOSEError): string {
  switch (error.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'unknown signing key';
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = error as errors.JWTClaimValidationFailed;
      if (reason === 'missing') return `missing claim ${claim}`;
      return { iss: 'wrong issuer', aud: 'wrong audience', nbf: 'not yet valid' }[claim] ?? `bad claim ${claim}`;
    }
    default:
      return 'malformed';
  }
}

class Refusal extends Error {}

/**
 * jose's errors that mean Entra's keys could not be read: the server's problem, not the token's. The
 * generic one is what jose throws when the JWKS answers anything but 200 OK (a 503) or is not JSON.
 */
const KEYS_UNAVAILABLE = ['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC'];

// TODO(05.2): Verify an Entra access token for this API. Signature through the tenant's JWKS (RS256
// only), `iss` = the discovered issuer, `aud` = your client ID (or api://{client id}), `exp`/`nbf` with
// CLOCK_SKEW_SECONDS, `tid` = your tenant. Return the scopes from `scp` in their full form
// (api://{client id}/mcp.tools), never the app roles. Any refusal: log a `token_refused` event (its
// reason, jose's message as `detail`: an object, never a sentence), throw InvalidTokenError(REFUSED).
export function createEntraTokenVerifier({ authority, clientId, log = stderrLog }: VerifierOptions): OAuthTokenVerifier {
  let discovered: Promise<Discovered> | undefined;
  const discovery = () => {
    discovered ??= discover(authority).catch((error: unknown) => {
      discovered = undefined; // try again on the next request rather than fail forever
      throw error;
    });
    return discovered;
  };

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      throw todo('05.2');
    },
  };
}
