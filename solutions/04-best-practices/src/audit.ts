// The audit log: one JSON line per event (pino), for the questions asked after an incident: who signed
// in, whose token was refused and why, who called which tool with what outcome, who was denied.
// Events carry ids and outcomes, never a credential; redaction is the safety net for the day someone
// logs a whole request: every field that can hold a token, code, state, secret or cookie is censored.
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { RequestHandler } from 'express';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { hashSecret } from '../../03-confidential-client/src/secrets.ts';
import type { ServerLog } from '../../03-confidential-client/src/server-log.ts';
import type { TokenStore } from '../../03-confidential-client/src/token-store.ts';

/** Field names that can hold something that grants access, wherever they appear in an event. */
export const SECRET_FIELDS = [
  'authorization', 'cookie', 'set-cookie', 'token', 'access_token', 'refresh_token', 'id_token',
  'accessToken', 'refreshToken', 'code', 'state', 'client_secret', 'clientSecret', 'password',
];

const CENSORED = '[redacted]';

// TODO(04.3): A pino logger writing JSON lines to `destination`, with ISO timestamps, every SECRET_FIELDS field censored at any depth up to three, and request URLs logged without their query string.
export function createAuditLog(destination?: DestinationStream): Logger {
  // #region solution
  // #starter return pino({}, destination); // every field as it is: see step 3 in the README
  const paths = SECRET_FIELDS.flatMap((field) => [`["${field}"]`, `*["${field}"]`, `*.*["${field}"]`]);
  return pino(
    {
      base: { service: 'mcp-remote-server' },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths, censor: CENSORED },
      // A URL's query can carry a code or a state (/auth/callback?code=...&state=...): keep the path only.
      serializers: { req: (req: LoggedRequest) => ({ ...req, url: req.url.split('?')[0] }) },
    },
    destination,
  );
  // #endregion
}

/** What the request log records of each request. */
export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, unknown>;
}

/** One event per answered request, as an HTTP access log would write it (headers included). */
export function requestLog(log: ServerLog): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const request: LoggedRequest = { method: req.method, url: req.originalUrl, headers: req.headers };
      log.info({ event: 'http_request', req: request, status: res.statusCode }, 'request');
    });
    next();
  };
}

// TODO(04.3): Record every refused session token as a token_rejected event with its reason (unknown_or_revoked, expired) and, when known, the user's oid: never the token.
export function auditedVerifier(verifier: OAuthTokenVerifier, store: TokenStore, log: ServerLog): OAuthTokenVerifier {
  // #region solution
  // #starter return verifier;
  return {
    async verifyAccessToken(token) {
      try {
        return await verifier.verifyAccessToken(token);
      } catch (error) {
        // The store keeps tokens as hashes, so the reason can be found without ever keeping the token.
        const session = await store.sessionByAccessToken(hashSecret(token));
        const reason = session ? 'expired' : 'unknown_or_revoked'; // the provider refuses nothing else
        log.warn({ event: 'token_rejected', reason, ...(session ? { oid: session.user.oid } : {}) }, 'session token refused');
        throw error;
      }
    },
  };
  // #endregion
}
