// Every request the tenant answered, so a check can ask "how many token requests did that take?".
// Only what identifies the call is kept: never a body, a token, a code or a secret.

export interface RequestLogEntry {
  method: string;
  host: string;
  /** The path, with the values of sensitive query parameters (code, state, ...) replaced by `***`. */
  path: string;
  /** What was called: `token`, `authorize`, `devicecode`, `keys`, `openid-configuration`, `graph:/me`, ... */
  endpoint: string;
  /** The `grant_type` of a token request. */
  grantType?: string;
  status: number;
  /** When (the tenant's clock, epoch ms). */
  at: number;
}

const SENSITIVE_PARAMS = new Set([
  'code',
  'state',
  'nonce',
  'code_challenge',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'refresh_token',
  'device_code',
  'login_hint',
  'id_token_hint',
  'access_token',
]);

/** `pathname?query` with sensitive values masked. */
export function redactedPath(url: URL): string {
  if (!url.search) return url.pathname;
  const params = new URLSearchParams(url.search);
  for (const name of [...params.keys()]) if (SENSITIVE_PARAMS.has(name.toLowerCase())) params.set(name, '***');
  return `${url.pathname}?${params.toString()}`;
}

export class RequestLog {
  private readonly list: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.list.push(entry);
  }

  /** A copy of the entries, oldest first. */
  entries(): RequestLogEntry[] {
    return this.list.map((entry) => ({ ...entry }));
  }

  /** How many requests hit an endpoint (`'token'`, `'graph:/me'`), or matched a predicate. */
  count(filter: string | ((entry: RequestLogEntry) => boolean)): number {
    const matches = typeof filter === 'string' ? (entry: RequestLogEntry) => entry.endpoint === filter : filter;
    return this.list.filter(matches).length;
  }

  clear(): void {
    this.list.length = 0;
  }
}
