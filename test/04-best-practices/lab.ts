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
      hint: [
        'Whoever sits on the network between the client and your server reads every bearer token sent in clear text. An https: base URL must get a real TLS server, and each answer sent over TLS tells the browser never to try plain HTTP again (HSTS).',
        'createWebServer: for an https: base URL, ask the given tlsCredentials(security) for the certificate and hand it to node:https\'s createServer with a minimum TLS version. hsts(): set the header only when Express says the request came over TLS (req.secure).',
        'createWebServer: return createHttpsServer({ ...await tlsCredentials(security), minVersion: \'TLSv1.2\' }). hsts(): if (req.secure) res.setHeader(\'Strict-Transport-Security\', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`).',
      ],
    },
    {
      id: '04.1.2', step: '04.1', title: 'in production, plain HTTP refuses to start, with a message that says why', points: 2,
      hint: [
        'A production server that would serve tokens over plain HTTP is misconfigured: it should refuse to start, and say which setting is wrong.',
        'createWebServer: when baseUrl.protocol is \'http:\' and security.production is true, throw the given InsecureServerError before creating any server.',
        'throw new InsecureServerError(`Refusing to serve plain HTTP in production: SERVER_BASE_URL is ${baseUrl.origin}. Use an https:// SERVER_BASE_URL.`), then, in development, return createHttpServer().',
      ],
    },
    {
      id: '04.1.3', step: '04.1', title: 'the hardened server keeps lab 03\'s Origin check: a page of another origin gets 403', points: 0, gradable: false,
      reason: 'The wiring is given (server.ts uses lab 03\'s refuseForeignOrigins), so the starter passes too; it proves the hardened server is not open to DNS rebinding.',
      hint: 'server.ts mounts refuseForeignOrigins on /mcp, /sse and /messages before the bearer check: keep it there.',
    },
    {
      id: '04.1.4', step: '04.1', title: 'with a certificate of its own in the settings (PEM files or a PFX), the server presents that one, and an unreadable file stops it', points: 2,
      hint: [
        'In production the server presents the certificate its operator configured, and a certificate it cannot read is a reason to stop, not to fall back on something else.',
        'Do not pick the certificate yourself: the given tlsCredentials(security) reads SERVER_TLS_CERT_FILE and SERVER_TLS_KEY_FILE (or SERVER_TLS_PFX_FILE), falls back on the development certificate on a laptop, and throws when a file cannot be read. Spread what it returns into the TLS server\'s options, and do not call ensureDevCertificates() yourself.',
        'createWebServer: for an https: base URL, const credentials = await tlsCredentials(security); return createHttpsServer({ ...credentials, minVersion: \'TLSv1.2\' }).',
      ],
    },
    {
      id: '04.1.5', step: '04.1', title: 'behind a trusted gateway, X-Forwarded-Proto: https makes a request secure (HSTS); from anyone else the header changes nothing', points: 3,
      hint: [
        'Behind a gateway only the gateway knows whether the client used https, and any client can write the header the gateway uses to say so. Which one do you believe?',
        'hsts(): decide from req.secure, which Express sets from X-Forwarded-Proto only for the proxies SERVER_TRUST_PROXY names (trustGateway, given). createWebServer: when tlsCredentials gives nothing, a trusted gateway ended TLS, and the hop behind it is plain HTTP.',
        'createWebServer: const credentials = await tlsCredentials(security); return credentials ? createHttpsServer({ ...credentials, minVersion: \'TLSv1.2\' }) : createHttpServer(); hsts(): if (req.secure) res.setHeader(...), never from req.get(\'x-forwarded-proto\').',
      ],
    },
    {
      id: '04.2.1', step: '04.2', title: 'tools/list shows each user only the tools their app roles allow', points: 3,
      hint: [
        'Being signed in is not being allowed: a tool is for the users whose app roles the role table lists for it, and a user with no role sees nothing. Deny by default.',
        'rolesOf: Entra puts the roles in the id token, which MSAL keeps with the account (account.idTokenClaims). mayCall: look the tool up in TOOL_ROLES and ask whether the user holds one of its roles.',
        'rolesOf: const roles = account?.idTokenClaims?.roles; return Array.isArray(roles) ? roles.filter((role) => typeof role === \'string\') : []. mayCall: return TOOL_ROLES.get(tool)?.some((role) => roles.includes(role)) ?? false.',
      ],
    },
    {
      id: '04.2.2', step: '04.2', title: 'a call to a tool the user may not use is refused with a clear error, and audited', points: 3,
      hint: [
        'A client can call a tool it was never shown. Refuse the call before the MCP server runs it, tell the user which role they lack, and leave a trace of who tried.',
        'In enforceToolRoles, for each tools/call whose tool fails mayCall(roles, toolOf(call)): write a role_denied event (oid and tool) with options.log.warn, and answer the JSON-RPC error yourself with the code FORBIDDEN and the message of whyForbidden(tool). On /messages (the legacy SSE pair) the answer goes out with status 403.',
        'options.log.warn({ event: \'role_denied\', oid: identity.user.oid, tool, roles }, \'tool call refused\'); res.status(req.originalUrl.startsWith(\'/messages\') ? 403 : 200).json({ jsonrpc: \'2.0\', id: call.id ?? null, error: { code: FORBIDDEN, message: whyForbidden(tool) } }).',
      ],
    },
    {
      id: '04.2.3', step: '04.2', title: 'a forbidden tool is refused whatever the message looks like: a batch, an odd tool name', points: 3,
      hint: [
        'A hostile client writes its requests by hand. What else can one POST carry besides a single message, and what can a tool name be?',
        'A POST may carry a JSON-RPC batch (an array of messages), and the SDK runs every one: req.body.method reads none of them. Check each tools/call; one forbidden call refuses the whole request. Look tools up in the Map (an object also answers for constructor, toString and __proto__), and refuse a body express.json did not parse (req.body undefined).',
        'if (req.body === undefined) return res.status(415).json({ jsonrpc: \'2.0\', id: null, error: { code: -32000, message: \'Send JSON-RPC as application/json.\' } }); const messages = Array.isArray(req.body) ? req.body : [req.body]; const forbidden = messages.filter((m) => m?.method === \'tools/call\' && !mayCall(roles, toolOf(m))); then answer an array of FORBIDDEN errors for a batch (one error otherwise). Never TOOL_ROLES[tool] or `tool in TOOL_ROLES`.',
      ],
    },
    {
      id: '04.3.1', step: '04.3', title: 'the audit log records sign-ins, refused tokens with a reason, tool calls and role denials', points: 3,
      hint: [
        'After an incident someone asks who did what: every event is one JSON object per line, with a time and ids, and a refused token says why it was refused.',
        'createAuditLog: a pino logger writing to destination, with ISO timestamps and a base naming the service. auditedVerifier: wrap verifier.verifyAccessToken; when it throws, find the session by hashSecret(token) in the store: a session found means the token expired (log its user\'s oid), none means unknown_or_revoked. Then rethrow the same error.',
        'try { return await verifier.verifyAccessToken(token); } catch (error) { const session = await store.sessionByAccessToken(hashSecret(token)); log.warn({ event: \'token_rejected\', reason: session ? \'expired\' : \'unknown_or_revoked\', ...(session ? { oid: session.user.oid } : {}) }, \'session token refused\'); throw error; }',
      ],
    },
    {
      id: '04.3.2', step: '04.3', title: 'no token, secret, code, state or cookie ever reaches the log', points: 3,
      hint: [
        'Anyone who reads the log can replay a credential found in it. Which parts of a logged request hold one (headers, cookies, the query of /auth/callback), and what stops the next developer who logs a whole object?',
        'pino\'s redact option censors fields by path: list every SECRET_FIELDS name at the top level and one and two levels down (the bracket form works for names with a dash). A serializer for req keeps the URL\'s path and drops its query. token_rejected carries the reason and the oid, never the token nor the whole user (a name is the user\'s data, not an id).',
        'pino({ base: { service: \'mcp-remote-server\' }, timestamp: stdTimeFunctions.isoTime, redact: { paths: SECRET_FIELDS.flatMap((f) => [`["${f}"]`, `*["${f}"]`, `*.*["${f}"]`]), censor: \'[redacted]\' }, serializers: { req: (req) => ({ ...req, url: req.url.split(\'?\')[0] }) } }, destination).',
      ],
    },
    {
      id: '04.4.1', step: '04.4', title: 'a throttled Graph call is retried after the advertised wait, and succeeds', points: 2,
      hint: [
        'Graph says how long to wait (Retry-After). One retry layer that honours it is enough, and the Graph client already has one.',
        'graphClient: build the client with Client.initWithMiddleware and the default middleware chain in its order (AuthenticationHandler, RetryHandler, RedirectHandler, TelemetryHandler, HTTPMessageHandler), with a RetryHandler configured by RetryHandlerOptions from GRAPH_RETRY.',
        'const retry = new RetryHandlerOptions(GRAPH_RETRY.delaySeconds, GRAPH_RETRY.maxRetries, shouldRetry); return Client.initWithMiddleware({ middleware: [new AuthenticationHandler({ getAccessToken }), new RetryHandler(retry), new RedirectHandler(), new TelemetryHandler(), new HTTPMessageHandler()] }).',
      ],
    },
    {
      id: '04.4.2', step: '04.4', title: 'a throttle storm ends in a clear tool error within the bounds: few attempts, no long waits', points: 2,
      hint: [
        'When Graph keeps throttling, the tool must give up in bounded time: few attempts, and no wait longer than a tool call can afford. Two retry layers multiply.',
        'The RetryHandler\'s shouldRetry callback (its signature is the Graph client\'s: delay, attempt, request, options, response) decides from Graph\'s Retry-After, read with retryAfterSeconds(response), not from the base delay. maxRetries bounds the attempts. No retry of your own around load(), and a failed load is dropped from the cache.',
        'new RetryHandlerOptions(GRAPH_RETRY.delaySeconds, GRAPH_RETRY.maxRetries, (_delay, _attempt, _request, _options, response) => retryAfterSeconds(response) <= GRAPH_RETRY.maxWaitSeconds).',
      ],
    },
    {
      id: '04.4.3', step: '04.4', title: 'within the cache lifetime, 100 calls of one user make one Graph call', points: 2,
      hint: [
        'A chatty client should not turn every tool call into a Graph call, and calls that arrive while Graph is still answering should wait for that answer. One user\'s profile answers only that user.',
        'ProfileCache.get: key the entries by userId; keep the promise load() returns (not the value) with an expiry PROFILE_TTL_SECONDS ahead, and delete the entry if that promise fails.',
        'const cached = this.entries.get(userId); if (cached && cached.expiresAt > Date.now()) return cached.profile; const entry = { expiresAt: Date.now() + this.ttlSeconds * 1000, profile: load() }; this.entries.set(userId, entry); entry.profile.catch(() => { if (this.entries.get(userId) === entry) this.entries.delete(userId); }); return entry.profile;',
      ],
    },
    {
      id: '04.4.4', step: '04.4', title: 'a flood from one user is limited (429, Retry-After) while another user is served', points: 2,
      hint: [
        'A flood from one user should stop that user, not the office that shares their IP address. What identifies the caller once the bearer check has run?',
        'perUserRateLimit: express-rate-limit\'s rateLimit, with the window and limit from options, a keyGenerator that returns the user\'s oid (req.auth.extra.user.oid), the standard headers (draft-8) without the legacy ones, and a JSON-RPC error as its message.',
        'return rateLimit({ windowMs: options.windowSeconds * 1000, limit: options.limit, keyGenerator: (req) => (req.auth?.extra as SessionIdentity).user.oid, standardHeaders: \'draft-8\', legacyHeaders: false, message: { jsonrpc: \'2.0\', id: null, error: { code: -32000, message: \'Too many requests: retry after the time in Retry-After.\' } } }).',
      ],
    },
    {
      id: '04.5.1', step: '04.5', title: 'sessions survive a restart, and the file (mode 0600) holds no token in plain text', points: 3,
      hint: [
        'A copy of the store file (a backup, a disk image) must give away nothing, and only the server\'s own user may read it. Encryption with a nonce that never repeats.',
        'seal: node:crypto\'s AES-256-GCM cipher with a fresh 12-byte IV from randomBytes, the key id bound as additional data (the given additionalData(key.id)), and the auth tag at the end; return the SealedFile fields in base64. writeAtomically: a new temporary file beside the store, readable by its owner only, then a rename over the store.',
        'const iv = randomBytes(12); const cipher = createCipheriv(\'aes-256-gcm\', key.key, iv); cipher.setAAD(additionalData(key.id)); const data = Buffer.concat([cipher.update(plaintext, \'utf8\'), cipher.final()]); return { version: 1, keyId: key.id, iv: iv.toString(\'base64\'), tag: cipher.getAuthTag().toString(\'base64\'), data: data.toString(\'base64\') }. writeAtomically: const temporary = `${path}.${randomUUID()}.tmp`; await writeFile(temporary, text, { mode: 0o600, flag: \'wx\' }); await rename(temporary, path).',
      ],
    },
    {
      id: '04.5.2', step: '04.5', title: 'a tampered store is rejected and reported, never trusted', points: 2,
      hint: [
        'Authenticated encryption tells you when anything changed: a flipped bit, a swapped key id, a wrong key. Data that failed that check must never come back as if it were sound.',
        'unseal: find the key the file names; a decipher with the same additional data and the file\'s auth tag; final() throws on any change. Catch every failure (and an unknown key id) and throw the given TamperedStoreError instead.',
        'const key = [keys.current, ...keys.previous].find((k) => k.id === file.keyId); if (!key || file.version !== 1) throw new TamperedStoreError(\'sealed with an unknown key or format\'); try { const decipher = createDecipheriv(\'aes-256-gcm\', key.key, Buffer.from(file.iv, \'base64\')); decipher.setAAD(additionalData(key.id)); decipher.setAuthTag(Buffer.from(file.tag, \'base64\')); return Buffer.concat([decipher.update(Buffer.from(file.data, \'base64\')), decipher.final()]).toString(\'utf8\'); } catch { throw new TamperedStoreError(\'the token store failed its integrity check\'); }',
      ],
    },
    {
      id: '04.5.3', step: '04.5', title: 'after a key rotation old sessions still open, and the store is re-sealed with the new key', points: 2,
      hint: [
        'A key rotation must not sign everyone out: a file sealed with the previous key still opens, and the next write uses the new one.',
        'unseal looks for the key among keys.current and keys.previous by the id the file names; the store (given) re-seals with keys.current when they differ, and writeAtomically keeps the new file mode 0600.',
        'const key = [keys.current, ...keys.previous].find((candidate) => candidate.id === file.keyId); and in writeAtomically: writeFile(temporary, text, { mode: 0o600, flag: \'wx\' }) before rename(temporary, path).',
      ],
    },
    {
      id: '04.5.4', step: '04.5', title: 'a write costs what changed: one sealed line per change, compacted, and a missing line is noticed', points: 2,
      hint: [
        'A crash in the middle of a write must leave the old file or the new one, never half of each.',
        'The journal is given (encrypted-token-store.ts) and runs on your seal, unseal and writeAtomically: this check fails until they work. writeAtomically writes a new temporary file and renames it: a rename is atomic on one file system.',
        'writeAtomically: const temporary = `${path}.${randomUUID()}.tmp`; await writeFile(temporary, text, { mode: 0o600, flag: \'wx\' }); await rename(temporary, path).',
      ],
    },
    {
      id: '04.6.1', step: '04.6', title: '50 calls as the token comes up for renewal: one refresh, 50 successes', points: 0, gradable: false,
      reason: 'msal-node 7.2.3 already shares identical concurrent acquireTokenSilent calls, so once step 4 is done the starter getToken passes too; the check guards the property (a single flight that never lets go of a finished refresh fails it).',
      hint: 'Ask MSAL for the token on every call (never keep it yourself); in getToken, delete the finished promise from inFlight in finally().',
    },
    {
      id: '04.6.2', step: '04.6', title: 'an ended Entra sign-in: 50 waiting calls share one attempt, the session ends once, then sign in again', points: 3,
      hint: [
        'When Entra refuses a refresh, fifty waiting calls should learn it from one attempt, and the user\'s sessions should end (and be audited) once, not fifty times.',
        'getToken: keep at most one acquisition per user (homeAccountId) in inFlight; a caller who arrives while it runs gets the same promise; delete it when it settles (finally), so the next call asks MSAL again. MSAL shares identical silent requests, but each caller would still handle the failure: only your single flight makes it happen once.',
        'const running = this.inFlight.get(user.homeAccountId); if (running) return running; const acquisition = this.acquire(user).finally(() => this.inFlight.delete(user.homeAccountId)); this.inFlight.set(user.homeAccountId, acquisition); return acquisition;',
      ],
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
