// Entra's error responses. Every failure carries an AADSTS code: in the JSON body of the token
// endpoint, in the redirect back to the app after the redirect URI was validated, or on an HTML page
// when the request cannot be trusted with a redirect (unknown client, unregistered redirect URI).
// Which code and words each situation gets: aadsts.ts.
import { randomUUID } from 'node:crypto';
import { escapeHtml, page, showing } from './pages.ts';

/** An OAuth error with Entra's AADSTS code. Thrown by the handlers, turned into a response by the router. */
export class EntraError extends Error {
  constructor(
    /** The AADSTS number, e.g. 70011. */
    readonly code: number,
    /** The OAuth `error` value, e.g. `invalid_scope`. */
    readonly error: string,
    /** The text after "AADSTSnnnnn: ". Never put a secret, token, code or `state` in it. */
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
    /** Entra's `suberror`, e.g. `consent_required` (msal reads it to tell the app to prompt). */
    readonly suberror?: string,
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

/** Entra's timestamp format in error bodies: `2026-01-15 09:00:00Z`. */
function entraTimestamp(now: number): string {
  return new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export interface ErrorContext {
  origin: string;
  now: number;
  /** The client's `client-request-id`, echoed as the correlation id (msal sends one). */
  correlationId?: string | null;
}

/** The JSON body of a failed token request, field for field as Entra sends it. */
export function errorBody(failure: EntraError, context: ErrorContext) {
  const traceId = randomUUID();
  const correlationId = context.correlationId || randomUUID();
  const timestamp = entraTimestamp(context.now);
  return {
    error: failure.error,
    error_description:
      `AADSTS${failure.code}: ${failure.description} Trace ID: ${traceId} Correlation ID: ${correlationId} ` +
      `Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${context.origin}/error?code=${failure.code}`,
    ...(failure.suberror ? { suberror: failure.suberror } : {}),
  };
}

export function errorJson(failure: EntraError, context: ErrorContext): Response {
  return Response.json(errorBody(failure, context), {
    status: failure.status,
    headers: { 'cache-control': 'no-store' },
  });
}

/** The page a browser shows when Entra cannot redirect back: nothing to send to an untrusted URI. */
export function errorPage(failure: EntraError, context: ErrorContext): Response {
  const body = errorBody(failure, context);
  const html = page(
    'Sign in: something went wrong',
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p><strong>AADSTS${failure.code}</strong>: ${escapeHtml(failure.description)}</p>
<dl><dt>Error</dt><dd>${escapeHtml(failure.error)}</dd>
<dt>Correlation ID</dt><dd>${escapeHtml(body.correlation_id)}</dd>
<dt>Timestamp</dt><dd>${escapeHtml(body.timestamp)}</dd></dl>`,
  );
  const response = new Response(html, { status: failure.status, headers: { 'content-type': 'text/html; charset=utf-8' } });
  return showing(response, { page: 'error', code: failure.code, description: failure.description });
}
