// Lab 04's wrong-but-plausible versions (npm run mutants proves its checks catch each one).
import { defineMutants } from '#shared/workbook/maintainer/mutants.ts';

const step1 = '#step-1-serve-https-only';
const step2 = '#step-2-decide-access-by-app-role';
const step3 = '#step-3-keep-an-audit-log-without-secrets';
const step4 = '#step-4-back-off-cache-and-rate-limit';
const step5 = '#step-5-store-tokens-encrypted';
const step6 = '#step-6-refresh-once-before-expiry';

export default defineMutants({
  lab: '04',
  mutants: [
    // Step 1: HTTPS only.
    {
      id: 'hsts-over-plain-http',
      title: 'sends Strict-Transport-Security on plain-HTTP answers too',
      file: 'src/https.ts',
      find: 'if (req.secure) res.setHeader(',
      replace: 'res.setHeader(',
      rule: { section: step1, quote: 'Over plain HTTP the header means nothing (anyone could have added it), so do not send it there.' },
      caughtBy: ['04.1.1'],
    },
    {
      id: 'hsts-without-subdomains',
      title: 'sends HSTS without includeSubDomains, so a sibling host can still be reached over plain HTTP',
      file: 'src/https.ts',
      find: '`max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`',
      replace: '`max-age=${HSTS_MAX_AGE_SECONDS}`',
      rule: { section: step1, quote: '`Strict-Transport-Security: max-age=31536000; includeSubDomains`' },
      caughtBy: ['04.1.1'],
    },
    {
      id: 'plain-http-on-localhost-in-production',
      title: 'lets production serve plain HTTP when the base URL names localhost',
      file: 'src/https.ts',
      find: 'if (security.production) {\n    throw new InsecureServerError(\n      `Refusing to serve plain HTTP',
      replace: "if (security.production && baseUrl.hostname !== 'localhost') {\n    throw new InsecureServerError(\n      `Refusing to serve plain HTTP",
      rule: { section: step1, quote: 'A misconfiguration should stop the deployment, not quietly serve tokens in clear text.' },
      caughtBy: ['04.1.2'],
    },
    {
      id: 'own-certificate-ignored',
      title: 'serves the development certificate even when the settings name a certificate of the server\'s own',
      file: 'src/https.ts',
      find: "  if (own) return { cert: await readSetting(own.certFile, 'SERVER_TLS_CERT_FILE'), key: await readSetting(own.keyFile, 'SERVER_TLS_KEY_FILE') };\n",
      replace: '',
      rule: { section: step1, quote: 'the server presents a certificate of its own, from the settings' },
      caughtBy: ['04.1.4'],
    },
    {
      id: 'unreadable-certificate-falls-back',
      title: 'falls back on the development certificate when the configured certificate cannot be read',
      file: 'src/https.ts',
      find: "  if (own) return { cert: await readSetting(own.certFile, 'SERVER_TLS_CERT_FILE'), key: await readSetting(own.keyFile, 'SERVER_TLS_KEY_FILE') };",
      replace:
        "  if (own) {\n" +
        "    try {\n" +
        "      return { cert: await readSetting(own.certFile, 'SERVER_TLS_CERT_FILE'), key: await readSetting(own.keyFile, 'SERVER_TLS_KEY_FILE') };\n" +
        '    } catch {\n' +
        '      // the development certificate will do\n' +
        '    }\n' +
        '  }',
      rule: { section: step1, quote: 'a file it cannot read stops the start, naming the setting' },
      caughtBy: ['04.1.4'],
    },
    {
      id: 'pfx-passphrase-dropped',
      title: 'loads the PFX without its passphrase',
      file: 'src/https.ts',
      find: "...(own.passphrase ? { passphrase: own.passphrase } : {})",
      replace: '',
      rule: { section: step1, quote: 'and its passphrase, `SERVER_TLS_PFX_PASSPHRASE`' },
      caughtBy: ['04.1.4'],
    },
    {
      id: 'tls-kept-behind-gateway',
      title: 'serves the development certificate behind a gateway that already ended TLS, so the gateway\'s plain-HTTP hop fails',
      file: 'src/https.ts',
      find: '  if (security.behindGateway) return undefined;\n',
      replace: '',
      rule: { section: step1, quote: 'Behind a trusted gateway that already ended TLS, `tlsCredentials` gives nothing, and the server listens on plain HTTP' },
      caughtBy: ['04.1.5'],
    },
    {
      id: 'trust-proxy-not-set',
      title: 'never tells Express about the gateway, so a request the client sent over https is not secure and gets no HSTS',
      file: 'src/server.ts',
      find: '  trustGateway(app, settings.server.trustProxy); // before hsts(): req.secure depends on it\n',
      replace: '',
      rule: { section: step1, quote: 'Express then believes `X-Forwarded-Proto` from those peers only, and `req.secure` is true for a request the client sent over https' },
      caughtBy: ['04.1.5'],
    },
    {
      id: 'trust-proxy-true',
      title: "trusts every proxy (`trust proxy` true), so any client's X-Forwarded-Proto makes its request secure",
      file: 'src/https.ts',
      find: "app.set('trust proxy', trustProxy ?? false);",
      replace: "app.set('trust proxy', true);",
      rule: { section: step1, quote: 'trust a hop count or the gateway\'s addresses, not every proxy (`true`)' },
      caughtBy: ['04.1.5'],
    },
    {
      id: 'trust-proxy-one-hop-by-default',
      title: 'trusts the nearest peer when SERVER_TRUST_PROXY is unset, so a client that connects directly is believed',
      file: 'src/https.ts',
      find: "app.set('trust proxy', trustProxy ?? false);",
      replace: "app.set('trust proxy', trustProxy ?? 1);",
      rule: { section: step1, quote: 'when it is unset, no proxy is trusted' },
      caughtBy: ['04.1.5'],
    },
    {
      id: 'hsts-from-forwarded-header',
      title: 'decides HSTS from the X-Forwarded-Proto header itself, which any client can send',
      file: 'src/https.ts',
      find: 'if (req.secure) res.setHeader(',
      replace: "if (req.secure || req.get('x-forwarded-proto') === 'https') res.setHeader(",
      rule: { section: step1, quote: 'decide from `req.secure`, not from the header itself' },
      caughtBy: ['04.1.5'],
    },

    {
      id: 'dev-certificate-in-production',
      title: 'serves the development certificate in production when no certificate of its own is set',
      file: 'src/https.ts',
      find: '  if (security.production) {\n    // The development certificate',
      replace: '  if (security.production && security.certificate) {\n    // The development certificate',
      rule: { section: step1, quote: 'in production without a certificate of its own, an `InsecureServerError` instead, as no client elsewhere trusts that CA' },
      caughtBy: ['04.1.4'],
    },

    // Step 2: app roles.
    {
      id: 'unlisted-tool-allowed',
      title: 'lets anyone call a tool the role table does not list (allow by default)',
      file: 'src/roles.ts',
      find: 'roles.includes(role)) ?? false;',
      replace: 'roles.includes(role)) ?? true;',
      rule: { section: step2, quote: 'Deny by default: a tool nobody listed is nobody\'s, and a user with no role gets nothing.' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'role-lookup-in-object',
      title: 'looks tools up in a plain object with `in` and brackets, which also answers for constructor, toString, __proto__',
      file: 'src/roles.ts',
      find: 'return TOOL_ROLES.get(tool)?.some((role) => roles.includes(role)) ?? false;',
      replace:
        'const table: Record<string, readonly string[]> = Object.fromEntries(TOOL_ROLES);\n' +
        '  return tool in table && table[tool]!.some((role) => roles.includes(role));',
      rule: { section: step2, quote: 'a lookup table must not answer for names it does not hold' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'any-role-opens-every-tool',
      title: "lets any of the server's app roles call every listed tool, so a reader sees and calls the admin tool",
      file: 'src/roles.ts',
      find: 'return TOOL_ROLES.get(tool)?.some((role) => roles.includes(role)) ?? false;',
      replace: 'return TOOL_ROLES.has(tool) && roles.some((role) => (Object.values(APP_ROLES) as string[]).includes(role));',
      rule: { section: step2, quote: 'a reader never learns the admin tool exists' },
      caughtBy: ['04.2.1'],
    },
    {
      id: 'batch-not-checked',
      title: 'reads only req.body.method, so a batch (an array of messages) passes unchecked',
      file: 'src/tool-access.ts',
      find: 'const messages: JsonRpcMessage[] = Array.isArray(req.body) ? req.body : [req.body];',
      replace: 'const messages: JsonRpcMessage[] = [req.body];',
      rule: { section: step2, quote: 'and must hold for every message the SDK will run' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'batch-first-message-only',
      title: "checks only a batch's first message",
      file: 'src/tool-access.ts',
      find: 'const messages: JsonRpcMessage[] = Array.isArray(req.body) ? req.body : [req.body];',
      replace: 'const messages: JsonRpcMessage[] = Array.isArray(req.body) ? req.body.slice(0, 1) : [req.body];',
      rule: { section: step2, quote: 'so each `tools/call` in it is checked, not just the first message or the body\'s own `method`' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'unparsed-body-passed-on',
      title: 'lets a body express.json did not parse through to the SDK, which reads it unchecked',
      file: 'src/tool-access.ts',
      find: 'if (req.body === undefined) {',
      replace: 'if (req.body === null) {',
      rule: { section: step2, quote: 'A body that `express.json` did not parse (`req.body` is undefined) is refused too' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'refusal-wrong-code',
      title: 'refuses a forbidden call with "method not found" (-32601) instead of FORBIDDEN (-32003)',
      file: 'src/tool-access.ts',
      find: 'error: { code: FORBIDDEN, message: whyForbidden(tool) }',
      replace: 'error: { code: -32601, message: whyForbidden(tool) }',
      rule: { section: step2, quote: 'a JSON-RPC error for that call\'s `id` with the code `FORBIDDEN` (`-32003`)' },
      caughtBy: ['04.2.3'],
    },
    {
      id: 'refusal-names-no-role',
      title: 'refuses with a bare "Forbidden" that does not say which role the tool needs',
      file: 'src/tool-access.ts',
      find: 'error: { code: FORBIDDEN, message: whyForbidden(tool) }',
      replace: "error: { code: FORBIDDEN, message: 'Forbidden' }",
      rule: { section: step2, quote: '`whyForbidden(tool)`, which names the role the tool needs' },
      caughtBy: ['04.2.2'],
    },
    {
      id: 'role-denied-without-oid',
      title: 'audits a role denial without saying who was denied',
      file: 'src/tool-access.ts',
      find: "{ event: 'role_denied', oid: identity.user.oid, tool, roles }",
      replace: "{ event: 'role_denied', tool, roles }",
      rule: { section: step2, quote: "an audit event `role_denied` with the caller's oid and the tool" },
      caughtBy: ['04.2.2', '04.3.1'],
    },

    // Step 3: the audit log.
    {
      id: 'authorization-header-logged',
      title: 'redacts secret fields only at the top level and one level down, so req.headers.authorization is logged',
      file: 'src/audit.ts',
      find: '[`["${field}"]`, `*["${field}"]`, `*.*["${field}"]`]',
      replace: '[`["${field}"]`, `*["${field}"]`]',
      rule: { section: step3, quote: 'A credential in a log is a leaked credential. Your logger must make that impossible.' },
      caughtBy: ['04.3.2'],
    },
    {
      id: 'query-string-logged',
      title: 'logs request URLs with their query, so /auth/callback?code=...&state=... reaches the log',
      file: 'src/audit.ts',
      find: "url: req.url.split('?')[0]",
      replace: 'url: req.url',
      rule: { section: step3, quote: 'A request\'s URL is logged by its path: its query (`?code=...&state=...`) never reaches the log.' },
      caughtBy: ['04.3.2'],
    },
    {
      id: 'refused-token-logged',
      title: 'writes the refused session token into token_rejected, under a name redaction does not know',
      file: 'src/audit.ts',
      find: "{ event: 'token_rejected', reason, ",
      replace: "{ event: 'token_rejected', reason, presented: token, ",
      rule: { section: step3, quote: 'An audit log answers in structured events (one JSON object per line, which a log store can query) with ids and outcomes, never a credential.' },
      caughtBy: ['04.3.2'],
    },
    {
      id: 'user-record-logged',
      title: "logs the whole signed-in user (name included) in token_rejected instead of the oid",
      file: 'src/audit.ts',
      find: '{ oid: session.user.oid }',
      replace: '{ user: session.user }',
      rule: { section: step3, quote: 'the plan is to log ids and outcomes only' },
      caughtBy: ['04.3.1', '04.3.2'],
    },
    {
      id: 'token-rejected-no-reason',
      title: 'gives every refused token the same reason, so an expired session looks like a forged token',
      file: 'src/audit.ts',
      find: "const reason = session ? 'expired' : 'unknown_or_revoked';",
      replace: "const reason = 'unknown_or_revoked';",
      rule: { section: step3, quote: '`expired`: the store still holds a session for this token, whose access token\'s lifetime has run out.' },
      caughtBy: ['04.3.1'],
    },

    // Step 4: back-off, cache, rate limit.
    {
      id: 'retry-after-ignored',
      title: "waits whatever Retry-After Graph asks for (shouldRetry looks at the base delay, not Graph's Retry-After)",
      file: 'src/graph.ts',
      find: '(_delay, _attempt, _request, _options, response) => retryAfterSeconds(response) <= GRAPH_RETRY.maxWaitSeconds',
      replace: '(delay) => delay <= GRAPH_RETRY.maxWaitSeconds',
      rule: { section: step4, quote: 'your `shouldRetry` returns false when `retryAfterSeconds(response)` is more than `GRAPH_RETRY.maxWaitSeconds`' },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'retries-unbounded',
      title: "retries as often as the Graph client allows (10) instead of GRAPH_RETRY.maxRetries",
      file: 'src/graph.ts',
      find: 'GRAPH_RETRY.maxRetries,\n',
      replace: '10,\n',
      rule: { section: step4, quote: 'The worst case is then bounded: `1 + maxRetries` attempts, each wait at most `maxWaitSeconds`.' },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'second-retry-layer',
      title: 'retries a failed /me load once more whatever Graph answered: a second retry layer, also for statuses that are not worth retrying',
      file: 'src/graph.ts',
      find: 'profile: load() };',
      replace: 'profile: load().catch(() => load()) };',
      rule: { section: step4, quote: 'two retry layers multiply: 3 × 3 attempts, and waits you did not plan' },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'graph-401-try-later',
      title: 'answers a Graph 401 with "try again later", so the user retries a token Graph will refuse for up to an hour',
      file: 'src/tools.ts',
      find: "      if (error.statusCode === 401) {\n        // Graph no longer accepts",
      replace: "      if (error.statusCode === 401 && false) {\n        // Graph no longer accepts",
      rule: { section: step4, quote: 'never "try again later"' },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'graph-401-session-kept',
      title: 'says to sign in again after a Graph 401 but keeps the sessions, so the client never signs in again',
      file: 'src/tools.ts',
      find: '        await deps.endSessionsOf(caller.user.oid);\n        deps.profiles.forget(caller.user.oid);\n',
      replace: '',
      rule: { section: step4, quote: "the client's next request gets `401`, and its OAuth code signs the user in again" },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'cache-not-per-user',
      title: "keys the profile cache by the Graph path, so one user's /me answers another user's call",
      file: 'src/graph.ts',
      find: 'const cached = this.entries.get(userId);\n    if (cached && cached.expiresAt > now) return cached.profile;',
      replace: "const cached = this.entries.get('/me');\n    if (cached && cached.expiresAt > now) return cached.profile;\n    userId = '/me'; // the same request for everyone",
      rule: { section: step4, quote: "The key is the user: one user's profile must never answer another user's call." },
      caughtBy: ['04.4.3'],
    },
    {
      id: 'cache-keeps-failures',
      title: 'keeps a failed load in the cache, so every call for a minute gets the same error',
      file: 'src/graph.ts',
      find: 'if (this.entries.get(userId) === entry) this.entries.delete(userId); // the next call tries again',
      replace: '// a failure is an answer too',
      rule: { section: step4, quote: 'drop an entry whose load fails, so the next call tries again' },
      caughtBy: ['04.4.2'],
    },
    {
      id: 'cache-keeps-value-not-promise',
      title: 'caches the profile only once it arrives, so calls that come while Graph answers each make a request',
      file: 'src/graph.ts',
      find: 'const entry = { expiresAt: now + this.ttlSeconds * 1000, profile: load() };',
      replace:
        'const entry = { expiresAt: now + this.ttlSeconds * 1000, profile: load() };\n' +
        '    return entry.profile.then((profile) => {\n' +
        '      this.entries.set(userId, { ...entry, profile: Promise.resolve(profile) });\n' +
        '      return profile;\n' +
        '    });',
      rule: { section: step4, quote: 'Keep the **promise**, not the value, so calls arriving while Graph answers share the one request' },
      caughtBy: ['04.4.3'],
    },
    {
      id: 'rate-limit-by-ip',
      title: 'limits requests per IP address (the default key), so one user behind a shared address stops everyone',
      file: 'src/rate-limit.ts',
      find: '    keyGenerator: userOf,\n',
      replace: '',
      rule: { section: step4, quote: 'Keyed by the user, not the IP address: a whole office shares one address behind NAT, and one user can come from many.' },
      caughtBy: ['04.4.4'],
    },

    // Step 5: the encrypted store.
    {
      id: 'constant-iv',
      title: 'seals every write with the same IV (all zeros) under the same key',
      file: 'src/sealed-file.ts',
      find: 'const iv = randomBytes(12);',
      replace: 'const iv = Buffer.alloc(12);',
      rule: { section: step5, quote: 'a fresh random 12-byte IV for every write (never reuse an IV with a key: GCM\'s security depends on it)' },
      caughtBy: ['04.5.1'],
    },
    {
      id: 'unseal-without-tag-check',
      title: 'decrypts without setting and checking the tag (no final()), so altered data comes back as if it were sound',
      file: 'src/sealed-file.ts',
      find: "    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));\n    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');",
      replace: "    return decipher.update(Buffer.from(file.data, 'base64')).toString('utf8');",
      rule: { section: step5, quote: 'Never return data that failed its check.' },
      caughtBy: ['04.5.2'],
    },
    {
      id: 'unknown-key-id-not-a-tampered-store-error',
      title: 'throws a plain Error for a key id it does not know, so the store stops the server instead of being set aside',
      file: 'src/sealed-file.ts',
      find: "throw new TamperedStoreError('sealed with an unknown key or format');",
      replace: "throw new Error('sealed with an unknown key or format');",
      rule: { section: step5, quote: 'turn every such failure (and an unknown key id) into a `TamperedStoreError`' },
      caughtBy: ['04.5.2'],
    },
    {
      id: 'key-id-not-authenticated',
      title: 'binds nothing as additional data, so the key id in the clear can be swapped unnoticed',
      file: 'src/sealed-file.ts',
      find: 'const additionalData = (keyId: string) => Buffer.from(`token-store:v1:${keyId}`);',
      replace: "const additionalData = (_keyId: string) => Buffer.from('token-store:v1');",
      rule: { section: step5, quote: 'as additional authenticated data it cannot be swapped' },
      caughtBy: ['04.5.2'],
    },
    {
      id: 'write-in-place',
      title: 'writes the store file in place instead of writing a temporary file and renaming it',
      file: 'src/sealed-file.ts',
      find:
        '  const temporary = `${path}.${randomUUID()}.tmp`;\n' +
        "  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' }); // a new file, readable by its owner only\n" +
        '  await rename(temporary, path); // atomic on one file system: readers see the old file or the new one\n',
      replace: '  await writeFile(path, text, { mode: 0o600 }); // one call: the store is replaced\n',
      rule: { section: step5, quote: 'a crash leaves the old file or the new one, never half of each' },
      caughtBy: ['04.5.4'],
    },
    {
      id: 'temporary-file-world-readable',
      title: 'writes the temporary file (which becomes the store) with the default mode, readable by everyone',
      file: 'src/sealed-file.ts',
      find: '{ mode: 0o600, flag: \'wx\' }',
      replace: "{ flag: 'wx' }",
      rule: { section: step5, quote: 'with mode `0600`: readable by the owner only' },
      caughtBy: ['04.5.3'],
    },
    {
      id: 'key-file-world-readable',
      title: 'writes the generated store key with the default mode, readable by every local user',
      file: 'src/store-keys.ts',
      find: "{ mode: 0o600, flag: 'wx' }",
      replace: "{ flag: 'wx' }",
      rule: { section: step5, quote: 'Without the variable, a key is generated next to the store with mode 0600' },
      caughtBy: ['04.5.1'],
    },
    {
      id: 'pending-sign-ins-persisted',
      title: 'writes sign-ins in progress to disk too',
      file: 'src/encrypted-token-store.ts',
      find: "['clients', 'sessions', 'msal']",
      replace: "['clients', 'sessions', 'msal', 'pending']",
      rule: { section: step5, quote: 'sign-ins in progress and one-minute codes stay in memory only' },
      caughtBy: ['04.5.4'],
    },

    // Step 6: one refresh, before expiry.
    {
      id: 'no-single-flight',
      title: 'lets every caller acquire on its own, so one refused refresh ends the sessions and is audited once per waiting call',
      file: 'src/token-refresh.ts',
      find: '    if (running) return running;\n',
      replace: '',
      rule: { section: step6, quote: 'MSAL does not coordinate that part; your single flight does.' },
      caughtBy: ['04.6.2'],
    },
    {
      id: 'access-token-kept',
      title: 'keeps a successful acquisition for good (drops only failures), so the server hands out its own copy of the access token instead of asking MSAL',
      file: 'src/token-refresh.ts',
      find: 'const acquisition = this.acquire(user).finally(() => this.inFlight.delete(user.homeAccountId));',
      replace:
        'const acquisition = this.acquire(user).catch((error: unknown) => {\n' +
        '      this.inFlight.delete(user.homeAccountId); // a failure is not kept: the next call tries again\n' +
        '      throw error;\n' +
        '    });',
      rule: { section: step6, quote: 'So ask MSAL on every call, and never keep an access token yourself.' },
      caughtBy: ['04.6.2'],
    },
  ],
  otherStatements: [
    { quote: 'an audit log answers "who did what" and never holds a credential', sameRuleAs: 'refused-token-logged' },
    { quote: 'a reader who deletes data because the server never asked', sameRuleAs: 'batch-not-checked' },
    {
      quote: 'a private key never belongs in a repository',
      why: "the development certificate and its key are made and kept by the workbook's own ensureDevCertificates (.workbook/certs/, git-ignored), not by the learner's code",
    },
    { quote: 'Those names get a `-32003` refusal, never a 500.', sameRuleAs: 'role-lookup-in-object' },
    { quote: 'What must hold', why: 'the heading of each step\'s list of guarantees; each guarantee in it is quoted by its own mutant' },
    { quote: '`constructor`, `__proto__` and `toString` get a `-32003` refusal, never a 500', sameRuleAs: 'role-lookup-in-object' },
    { quote: 'the store only has hashes, so you never need to keep the token', sameRuleAs: 'refused-token-logged' },
    { quote: 'so `/authorize` never touches the disk', sameRuleAs: 'pending-sign-ins-persisted' },
    { quote: 'Its proxy is a Node process, so it must trust the local CA when it starts', why: 'a step of the hand run with the MCP Inspector, not a rule of the lab\'s code' },
    { quote: 'so the key never leaves the vault', why: 'live-mode advice on Azure Key Vault (envelope encryption); the lab\'s code takes its keys from TOKEN_STORE_KEYS' },
    { quote: 'Which field must never be there, and what stops the next developer from adding it?', why: 'a reflection question; the rule it points at is quoted by authorization-header-logged and refused-token-logged' },
  ],
});
