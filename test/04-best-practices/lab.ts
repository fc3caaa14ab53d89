// Lab 04's manifest: lab 03's remote server, hardened with every best practice of the lesson.
import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '04',
  slug: '04-best-practices',
  title: 'Best practices',
  summary: 'Harden the remote MCP server: HTTPS, app roles, an audit log without secrets, Graph back-off and caching, per-user rate limits, an encrypted token store, and single-flight token refresh.',
  // Its server is lab 03's, hardened: lab 04's code imports the lab 03 beside it (yours, in labs/).
  buildsOn: ['03'],
  steps: [
    { id: '04.1', title: 'Serve HTTPS only', file: 'src/https.ts', readme: '#step-1-serve-https-only' },
    { id: '04.2', title: 'Decide access by app role', file: 'src/roles.ts', readme: '#step-2-decide-access-by-app-role' },
    { id: '04.3', title: 'Keep an audit log without secrets', file: 'src/audit.ts', readme: '#step-3-keep-an-audit-log-without-secrets' },
    { id: '04.4', title: 'Back off, cache and rate-limit', file: 'src/graph.ts', readme: '#step-4-back-off-cache-and-rate-limit' },
    { id: '04.5', title: 'Store tokens encrypted', file: 'src/sealed-file.ts', readme: '#step-5-store-tokens-encrypted' },
    { id: '04.6', title: 'Refresh once, before expiry', file: 'src/token-refresh.ts', readme: '#step-6-refresh-once-before-expiry' },
  ],
  checks: [
    {
      id: '04.1.1', step: '04.1', title: 'an https base URL gets TLS with the development certificate, and HSTS', points: 3,
      hint: ['For an https: base URL, createHttpsServer({ ...await tlsCredentials(security), minVersion: \'TLSv1.2\' }): without SERVER_TLS_* settings, tlsCredentials gives the development certificate.', 'hsts(): when req.secure, set Strict-Transport-Security: max-age=31536000; includeSubDomains.'],
    },
    {
      id: '04.1.2', step: '04.1', title: 'in production, plain HTTP refuses to start, with a message that says why', points: 2,
      hint: 'When the base URL is http: and security.production is true, throw an InsecureServerError that names SERVER_BASE_URL and says to use https.',
    },
    {
      id: '04.1.3', step: '04.1', title: 'the hardened server keeps lab 03\'s Origin check: a page of another origin gets 403', points: 0, gradable: false,
      reason: 'The wiring is given (server.ts uses lab 03\'s refuseForeignOrigins), so the starter passes too; it proves the hardened server is not open to DNS rebinding.',
      hint: 'server.ts mounts refuseForeignOrigins on /mcp, /sse and /messages before the bearer check: keep it there.',
    },
    {
      id: '04.1.4', step: '04.1', title: 'with a certificate of its own in the settings (PEM files or a PFX), the server presents that one, and an unreadable file stops it', points: 2,
      hint: [
        'createWebServer: for an https: base URL, createHttpsServer({ ...await tlsCredentials(security), minVersion: \'TLSv1.2\' }): tlsCredentials reads SERVER_TLS_* and falls back on the development certificate.',
        'Do not call ensureDevCertificates() yourself: tlsCredentials knows when the settings bring a certificate, and when a gateway ended TLS.',
      ],
    },
    {
      id: '04.1.5', step: '04.1', title: 'behind a trusted gateway, X-Forwarded-Proto: https makes a request secure (HSTS); from anyone else the header changes nothing', points: 3,
      hint: [
        'hsts(): decide from req.secure, never from the X-Forwarded-Proto header: Express sets req.secure from it only for the proxies SERVER_TRUST_PROXY names (trustGateway in server.ts).',
        'createWebServer: when tlsCredentials gives nothing (a trusted gateway ended TLS), return createHttpServer(): the hop behind the gateway is plain HTTP.',
      ],
    },
    {
      id: '04.2.1', step: '04.2', title: 'tools/list shows each user only the tools their app roles allow', points: 3,
      hint: ['rolesOf: the `roles` array of account.idTokenClaims (an empty list if missing).', 'mayCall: true only if TOOL_ROLES.get(tool) holds one of the user\'s roles.'],
    },
    {
      id: '04.2.2', step: '04.2', title: 'a call to a tool the user may not use is refused with a clear error, and audited', points: 3,
      hint: 'In enforceToolRoles: when !mayCall(roles, tool), log.warn({ event: \'role_denied\', oid, tool }) and answer res.json({ jsonrpc: \'2.0\', id, error: { code: FORBIDDEN, message: whyForbidden(tool) } }), which names the role needed.',
    },
    {
      id: '04.2.3', step: '04.2', title: 'a forbidden tool is refused whatever the message looks like: a batch, an odd tool name', points: 3,
      hint: [
        'A POST may carry a JSON-RPC batch (an array of messages), and the SDK runs every one of them: req.body.method reads none.',
        'Check each message: Array.isArray(req.body) ? req.body : [req.body]. One forbidden tools/call refuses the whole request, with a FORBIDDEN error (and a role_denied event) for each forbidden call.',
        'Look tools up with TOOL_ROLES.get(tool), never TOOL_ROLES[tool] or `tool in TOOL_ROLES`: an object also answers for constructor, toString and __proto__. A name that is not a string is no tool: refuse it.',
      ],
    },
    {
      id: '04.3.1', step: '04.3', title: 'the audit log records sign-ins, refused tokens with a reason, tool calls and role denials', points: 3,
      hint: ['createAuditLog: pino(options, destination) writes one JSON line per event.', 'auditedVerifier: catch the verifier\'s error, look the session up by hashSecret(token), log token_rejected with the reason, rethrow.'],
    },
    {
      id: '04.3.2', step: '04.3', title: 'no token, secret, code, state or cookie ever reaches the log', points: 3,
      hint: [
        'redact: { paths, censor } with paths for every SECRET_FIELDS name at the top level and one and two levels down (\'*["authorization"]\', \'*.*["authorization"]\').',
        'A serializer for `req` that drops the query string from its url.',
        'token_rejected carries the reason and the user\'s oid: never the token itself, nor the whole user (a name is the user\'s data, not an id).',
      ],
    },
    {
      id: '04.4.1', step: '04.4', title: 'a throttled Graph call is retried after the advertised wait, and succeeds', points: 2,
      hint: 'new RetryHandlerOptions(delaySeconds, maxRetries, shouldRetry) in a RetryHandler in the middleware chain: AuthenticationHandler, RetryHandler, RedirectHandler, TelemetryHandler, HTTPMessageHandler.',
    },
    {
      id: '04.4.2', step: '04.4', title: 'a throttle storm ends in a clear tool error within the bounds: few attempts, no long waits', points: 2,
      hint: [
        'shouldRetry returns false when retryAfterSeconds(response) is more than GRAPH_RETRY.maxWaitSeconds; maxRetries bounds the attempts.',
        'One retry layer: the RetryHandler (429, 503, 504 only). No retry of your own around load(), and a failed load is dropped from the cache so the next call asks Graph again.',
      ],
    },
    {
      id: '04.4.3', step: '04.4', title: 'within the cache lifetime, 100 calls of one user make one Graph call', points: 2,
      hint: 'ProfileCache.get: return the cached promise while it is fresh; otherwise store { expiresAt, profile: load() } and drop it if it fails.',
    },
    {
      id: '04.4.4', step: '04.4', title: 'a flood from one user is limited (429, Retry-After) while another user is served', points: 2,
      hint: 'rateLimit({ windowMs, limit, keyGenerator: (req) => the user\'s oid, standardHeaders: \'draft-8\', legacyHeaders: false, message }).',
    },
    {
      id: '04.5.1', step: '04.5', title: 'sessions survive a restart, and the file (mode 0600) holds no token in plain text', points: 3,
      hint: ['seal: createCipheriv(\'aes-256-gcm\', key, a fresh 12-byte IV), setAAD with the key id, then getAuthTag().', 'writeAtomically: writeFile to a new temporary file with mode 0o600, then rename it over the store.'],
    },
    {
      id: '04.5.2', step: '04.5', title: 'a tampered store is rejected and reported, never trusted', points: 2,
      hint: 'unseal: createDecipheriv with the named key, setAAD, setAuthTag; decipher.final() throws on any change: turn that into a TamperedStoreError.',
    },
    {
      id: '04.5.3', step: '04.5', title: 'after a key rotation old sessions still open, and the store is re-sealed with the new key', points: 2,
      hint: 'unseal finds the key whose id the file names among keys.current and keys.previous; the store re-seals with keys.current when they differ.',
    },
    {
      id: '04.5.4', step: '04.5', title: 'a write costs what changed: one sealed line per change, compacted, and a missing line is noticed', points: 2,
      hint: 'The journal is given (encrypted-token-store.ts) and runs on your seal, unseal and writeAtomically: this check fails until they work.',
    },
    {
      id: '04.6.1', step: '04.6', title: '50 calls as the token comes up for renewal: one refresh, 50 successes', points: 0, gradable: false,
      reason: 'msal-node 7.2.3 already shares identical concurrent acquireTokenSilent calls, so once step 4 is done the starter getToken passes too; the check guards the property (a single flight that never lets go of a finished refresh fails it).',
      hint: 'Ask MSAL for the token on every call (never keep it yourself); in getToken, delete the finished promise from inFlight in finally().',
    },
    {
      id: '04.6.2', step: '04.6', title: 'an ended Entra sign-in: 50 waiting calls share one attempt, the session ends once, then sign in again', points: 3,
      hint: ['getToken: keep one promise per user (homeAccountId) in inFlight; return it to callers who arrive while it runs, and delete it in finally().', 'MSAL shares identical silent requests, but each caller would still handle the failure: only your single flight makes the session end, and the event get logged, once.'],
    },
  ],
  handRun: {
    script: 'src/hand-run.ts',
    // Registered on the fake tenant's server app, like http://localhost:3000/auth/callback for lab 03.
    env: { SERVER_BASE_URL: 'https://localhost:3443' },
    server: { callback: true, script: 'src/main.ts' },
    description: 'Starts the hardened server on SERVER_BASE_URL (https://localhost:3443) with its audit log on stdout, signs Megan and Adele in through the fake tenant\'s page with a scripted browser, shows their tools, restarts the server (no new sign-in); then keeps it running for your own client (see the README).',
  },
});
