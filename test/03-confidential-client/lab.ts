// Lab 03's manifest: a remote MCP server over Streamable HTTP that signs its users in with Entra ID as a
// confidential client, keeps their Entra tokens to itself and gives MCP clients session tokens of its own.
import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '03',
  slug: '03-confidential-client',
  title: 'Confidential client',
  summary: 'A remote MCP server that signs users in with Entra ID (authorization code flow), keeps their Entra tokens server-side and issues its own session tokens to MCP clients.',
  steps: [
    { id: '03.1', title: 'Start the sign-in', file: 'src/auth-provider.ts', readme: '#step-1-start-the-sign-in' },
    { id: '03.2', title: 'Handle Entra\'s callback', file: 'src/auth-provider.ts', readme: '#step-2-handle-entras-callback' },
    { id: '03.3', title: 'Issue and verify session tokens', file: 'src/auth-provider.ts', readme: '#step-3-issue-and-verify-session-tokens' },
    { id: '03.4', title: 'Serve MCP sessions bound to their users', file: 'src/mcp-sessions.ts', readme: '#step-4-serve-mcp-sessions-bound-to-their-users' },
    { id: '03.5', title: 'Call Graph as the signed-in user', file: 'src/user-details.ts', readme: '#step-5-call-graph-as-the-signed-in-user' },
    { id: '03.6', title: 'Refuse pages from other web origins', file: 'src/origin-check.ts', readme: '#step-6-refuse-pages-from-other-web-origins' },
    { id: '03.7', title: 'Forget what has expired', file: 'src/token-store.ts', readme: '#step-7-forget-what-has-expired' },
  ],
  checks: [
    {
      id: '03.1.1', step: '03.1', title: 'the sign-in goes to Entra with PKCE, a nonce and a state of the server\'s own', points: 3,
      hint: [
        'The Entra leg needs secrets of its own, new for every sign-in: a state, a nonce and a PKCE pair. The client sent you a state and a challenge too: why can neither of them go to Entra?',
        'newSecret() for the state and the nonce, this.pkce.generatePkceCodes() (MSAL\'s CryptoProvider) for PKCE; save a PendingSignIn under hashSecret(state) with expiresAt = nowSeconds() + LIFETIMES.pendingSignIn and scopes [MCP_SCOPE]; MSAL\'s getAuthCodeUrl builds Entra\'s URL.',
        'const pkce = await this.pkce.generatePkceCodes(); await this.options.store.savePendingSignIn(hashSecret(state), { clientId: client.client_id, redirectUri: params.redirectUri, codeChallenge: params.codeChallenge, clientState: params.state, scopes: [MCP_SCOPE], entraVerifier: pkce.verifier, entraNonce: nonce, expiresAt }); const url = await this.options.msal.getAuthCodeUrl({ scopes: GRAPH_SCOPES, redirectUri: this.options.entraRedirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: \'S256\', state, nonce }); res.redirect(302, url);',
      ],
    },
    {
      id: '03.1.2', step: '03.1', title: 'a redirect URI the client did not register is refused, with no redirect', points: 2,
      hint: [
        'Where may your server send a browser that carries a code? Only to a URI the client registered, exactly: the same loopback URI on another port is another URI.',
        'Compare params.redirectUri with client.redirect_uris first thing, and answer the refusal yourself (res.status(400).json(...)), then return: never res.redirect to a URI you have not matched.',
        'if (!client.redirect_uris.includes(params.redirectUri)) { res.status(400).json({ error: \'invalid_request\', error_description: \'The redirect URI is not registered for this client.\' }); return; }',
      ],
    },
    {
      id: '03.1.3', step: '03.1', title: 'a resource other than this server is refused, and nobody is sent to Entra', points: 1,
      hint: [
        'A client may ask for a token for some resource: is it this server? Compare URLs, not text: http://127.0.0.1:3000@evil.example/ starts with http://127.0.0.1:3000.',
        'The SDK has the comparison: checkResourceAllowed (@modelcontextprotocol/sdk/shared/auth-utils.js), against this.options.resource. Refuse with the SDK\'s InvalidTargetError, before anyone is sent to Entra.',
        'if (params.resource && !checkResourceAllowed({ requestedResource: params.resource, configuredResource: this.options.resource })) throw new InvalidTargetError(\'This server issues tokens for itself only.\');',
      ],
    },
    {
      id: '03.2.1', step: '03.2', title: 'a tampered, replayed or expired state is refused, and nothing is issued', points: 3,
      hint: [
        'A state is a ticket that works once, for ten minutes: what stops the same callback URL from working a second time, or an hour later?',
        'The store\'s takePendingSignIn(hashSecret(state)) returns the entry and forgets it; refuse also an entry whose expiresAt is past. Answer 400 JSON yourself, and keep the state out of the answer and the log.',
        'const pending = state ? await this.options.store.takePendingSignIn(hashSecret(state)) : undefined; if (!pending || pending.expiresAt < nowSeconds()) { this.options.log.warn({ event: \'sign_in_failed\', reason: \'unknown_or_expired_state\' }, \'a callback with an unknown, used or expired state\'); res.status(400).json({ error: \'invalid_request\', error_description: \'This sign-in is unknown, used or expired.\' }); return; }',
      ],
    },
    {
      id: '03.2.2', step: '03.2', title: 'the MCP client gets a one-time code of the server\'s own, with its own state', points: 3,
      hint: [
        'Two legs, two codes: Entra\'s code is for your server alone, and the MCP client gets a one-time code of your own, with its own state. What do you keep of Entra\'s answer, and what do you hand on?',
        'Redeem Entra\'s code with MSAL\'s acquireTokenByCode (the pending sign-in\'s verifier and nonce); keep the user from result.account (oid: localAccountId, homeAccountId, name); then newSecret() for the client\'s code, saved with saveCode(hashSecret(code), ...) as an IssuedCode.',
        'const result = await this.options.msal.acquireTokenByCode({ code, scopes: GRAPH_SCOPES, redirectUri: this.options.entraRedirectUri, codeVerifier: pending.entraVerifier, state, nonce: pending.entraNonce }); const user = { oid: result.account.localAccountId, homeAccountId: result.account.homeAccountId, name: result.account.name }; await this.options.store.saveCode(hashSecret(mcpCode), { clientId: pending.clientId, redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge, scopes: pending.scopes, resource: this.options.resource.href, user, expiresAt: nowSeconds() + LIFETIMES.code }); back.searchParams.set(\'code\', mcpCode); res.redirect(302, back.href);',
      ],
    },
    {
      id: '03.2.3', step: '03.2', title: 'no Entra token, code or state reaches the MCP client or the logs', points: 2,
      hint: [
        'Read your log lines and your redirects as an attacker would: does any of them hold something they could present (a code, a state, a token)?',
        'Log events with ids only (the user\'s oid, the client id, an error\'s name), never a request value; the client\'s redirect carries only your code and its own state (pending.clientState).',
        'this.options.log.info({ event: \'sign_in\', oid: user.oid, clientId: pending.clientId }, \'signed in\'); and for the client: const back = new URL(pending.redirectUri); if (pending.clientState !== undefined) back.searchParams.set(\'state\', pending.clientState);',
      ],
    },
    {
      id: '03.2.4', step: '03.2', title: 'a sign-in that fails at Entra sends the client access_denied: no 500, and no code, state or message of Entra\'s', points: 2,
      hint: [
        'A sign-in can fail at Entra: the user cancels, or Entra refuses the code. Who should hear about it, in what terms, and what must they not learn?',
        'Build the client\'s redirect (its redirect URI, its own state) before you look at the code. No code, or acquireTokenByCode throwing: set error=access_denied on that redirect and send it. Log errorName(error) (given), never the error\'s message: it can quote the code.',
        'if (!code) { back.searchParams.set(\'error\', \'access_denied\'); res.redirect(302, back.href); return; } and try { ... acquireTokenByCode(...) ... } catch (error) { this.options.log.warn({ event: \'sign_in_failed\', reason: errorName(error), clientId: pending.clientId }, \'Entra did not redeem the code\'); back.searchParams.set(\'error\', \'access_denied\'); res.redirect(302, back.href); return; }',
      ],
    },
    {
      id: '03.3.1', step: '03.3', title: 'the code buys an opaque session token, kept as a hash; an unknown or expired one is an InvalidTokenError', points: 3,
      hint: [
        'The session token is the server\'s own: random, opaque, stored only as a hash, and it expires. What does your verifier answer for anything that is not a live session, and in what unit is its expiry? Whose scopes does the session carry: the client\'s wish, or what the server granted?',
        'exchangeAuthorizationCode: takeCode(hashSecret(code)), then the given startSession(...) with the code\'s user, scopes and resource (the scopes step 1 saved: [MCP_SCOPE], never params.scopes). verifyAccessToken: sessionByAccessToken(hashSecret(token)); expiresAt in epoch seconds; for anything else, the SDK\'s InvalidTokenError (any other error is a 500).',
        'const session = await this.options.store.sessionByAccessToken(hashSecret(token)); if (!session || session.accessExpiresAt < nowSeconds()) throw new InvalidTokenError(\'The token is not valid.\'); return { token, clientId: session.clientId, scopes: session.scopes, expiresAt: session.accessExpiresAt, resource: new URL(session.resource), extra: { sessionId: session.id, user: session.user } };',
      ],
    },
    {
      id: '03.3.2', step: '03.3', title: 'a replayed, late or misdirected code, or a wrong PKCE verifier, gets no token', points: 2,
      hint: [
        'A code is worth one session, for one client, for one minute, sent back with one redirect URI. Which of those does your exchange check?',
        'challengeForAuthorizationCode is given (the SDK compares the client\'s PKCE verifier with it). In exchangeAuthorizationCode, take the code (takeCode forgets it), then refuse with the SDK\'s InvalidGrantError unless its clientId, expiresAt and redirectUri all fit.',
        'const issued = await this.options.store.takeCode(hashSecret(authorizationCode)); if (!issued || issued.clientId !== client.client_id || issued.expiresAt < nowSeconds()) throw new InvalidGrantError(\'The authorization code is not valid.\'); if (redirectUri !== undefined && redirectUri !== issued.redirectUri) throw new InvalidGrantError(\'The redirect URI does not match.\'); return this.startSession({ id: randomUUID(), clientId: client.client_id, scopes: issued.scopes, resource: issued.resource, user: issued.user });',
      ],
    },
    {
      id: '03.3.3', step: '03.3', title: 'refresh rotates the tokens, for its own client and within 14 days; revoke ends the session, for its own client', points: 3,
      hint: [
        'A refresh token belongs to one client, lives 14 days, and each use replaces it. And a revocation: whose sessions may a client end?',
        'exchangeRefreshToken: find the session by hashSecret(refreshToken) (sessionByRefreshToken), refuse it (InvalidGrantError) unless it is this client\'s and refreshExpiresAt is not past, then startSession(session) stores new hashes. revokeToken: look the token up as either kind, and delete only this client\'s session (another client\'s revocation is answered 200 and does nothing).',
        'const session = await this.options.store.sessionByRefreshToken(hash); if (!session || session.clientId !== client.client_id || session.refreshExpiresAt < nowSeconds()) throw new InvalidGrantError(\'The refresh token is not valid.\'); return this.startSession(session); and in revokeToken: const session = (await store.sessionByAccessToken(hash)) ?? (await store.sessionByRefreshToken(hash)); if (session?.clientId === client.client_id) await store.deleteSession(session.id);',
      ],
    },
    {
      id: '03.3.4', step: '03.3', title: 'a refresh token used twice ends the session for whoever holds it', points: 3,
      hint: [
        'A refresh token that was already rotated out comes back: someone kept a copy. Can you tell the owner from the thief? Then who may keep the grant?',
        'sessionByRefreshToken also finds a session by a refresh token it has rotated out (usedRefreshTokenHashes): compare the hash you looked up with session.refreshTokenHash, and end the whole session when they differ.',
        'if (session.refreshTokenHash !== hash) { this.options.log.warn({ event: \'refresh_token_reused\', oid: session.user.oid, clientId: client.client_id }, \'a used refresh token came back: the session ends\'); await this.options.store.deleteSession(session.id); throw new InvalidGrantError(\'The refresh token is not valid.\'); }',
      ],
    },
    {
      id: '03.3.5', step: '03.3', title: 'a registered client\'s secret is kept only as a hash, and still works at /token', points: 1,
      hint: [
        'A registered client\'s secret is a credential like your session tokens: the store keeps only its hash, and the secret a client presents is hashed before it is compared.',
        'Given code does this (client-secrets.ts); this check fails only while steps 1 to 3 are unfinished, or if the store or server.ts no longer use it.',
      ],
    },
    {
      id: '03.4.1', step: '03.4', title: 'no token or a bad one: 401 with a WWW-Authenticate that points to the resource metadata; a token without mcp.tools: 403', points: 2,
      hint: [
        'No valid token, no MCP: a 401 that tells the client where to sign in, and a 403 for a token without the scope this server requires.',
        'The SDK\'s requireBearerAuth middleware (@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js), with your verifier, the required scope, the resource and its metadata URL, in front of every /mcp, /sse and /messages route, followed by options.guards.',
        'const bearer = requireBearerAuth({ verifier: options.verifier, requiredScopes: [MCP_SCOPE], resourceMetadataUrl: options.resourceMetadataUrl, expectedResource: options.resource }); const checks = [bearer, ...(options.guards ?? [])]; router.post(\'/mcp\', ...checks, async (req, res) => { ... });',
      ],
    },
    {
      id: '03.4.2', step: '03.4', title: 'user B\'s token cannot drive user A\'s MCP session', points: 3,
      hint: [
        'A session id proves nothing about who is calling. Whose session is it, and who is calling now? And what should someone else learn from your answer?',
        'Remember the caller when the session starts (onsessioninitialized: sessions.add(sessionId, transport, caller)) and look it up with sessions.find(id, caller) on every request with an mcp-session-id: the given OpenSessions returns the transport only to the same user. Otherwise 404, as for an unknown id.',
        'const transport = sessions.find(req.header(\'mcp-session-id\'), callerOf(req)); if (!transport) return void rpcError(res, 404, \'Session not found.\'); return transport.handleRequest(req, res, req.body); (the same for GET and DELETE /mcp, without req.body).',
      ],
    },
    {
      id: '03.4.3', step: '03.4', title: 'the legacy /sse + /messages pair has the same bearer check and user binding', points: 2,
      hint: [
        'The legacy /sse + /messages pair is a second door to the same tools: does it have the same lock, and the same binding to the user?',
        'GET /sse: a new SSEServerTransport(\'/messages\', res), remembered in legacySessions by its sessionId with the caller. POST /messages?sessionId=...: legacySessions.find(...) for that caller, 404 otherwise, then transport.handlePostMessage(req, res, req.body). Both behind the same checks as /mcp.',
        'router.get(\'/sse\', ...checks, async (req, res) => { const transport = new SSEServerTransport(\'/messages\', res); legacySessions.add(transport.sessionId, transport, callerOf(req)!); res.on(\'close\', () => legacySessions.forget(transport.sessionId)); await (await options.createMcpServer(req.auth!)).connect(transport); }); router.post(\'/messages\', ...checks, async (req, res) => { const transport = legacySessions.find(req.query.sessionId, callerOf(req)); if (!transport) return void rpcError(res, 404, \'Session not found.\'); await transport.handlePostMessage(req, res, req.body); });',
      ],
    },
    {
      id: '03.4.4', step: '03.4', title: 'an old client signs in from /sse too: the 401 names metadata that covers it', points: 1,
      hint: [
        'An old client that starts at /sse gets a 401 too: does that 401 tell it where to sign in, for a resource that covers /sse?',
        'The protected resource is the whole server (its origin), so one metadata document covers /mcp and /sse: the same bearer check, with options.resource and options.resourceMetadataUrl, on every route.',
      ],
    },
    {
      id: '03.4.5', step: '03.4', title: 'an MCP session closes when its sign-in ends, and when it lies idle', points: 2,
      hint: [
        'An open MCP session holds memory, and exists for a signed-in user: when its sign-in ends, or nobody uses it, should it stay open?',
        'Keep sessions in the given OpenSessions (add in onsessioninitialized, find on every request): it closes them when their grant ends or after 30 idle minutes.',
        'For /mcp: onsessioninitialized: (sessionId) => sessions.add(sessionId, transport, caller), and sessions.find(req.header(\'mcp-session-id\'), callerOf(req)). For /sse: legacySessions.add(transport.sessionId, transport, callerOf(req)!) and legacySessions.find(req.query.sessionId, callerOf(req)).',
      ],
    },
    {
      id: '03.5.1', step: '03.5', title: 'getUserDetails returns the signed-in user\'s own profile', points: 3,
      hint: [
        'The tool acts for the user of this session, and only them: where in MSAL\'s cache are that user\'s Entra tokens, and how do you ask for one without a person at a keyboard?',
        'MSAL\'s token cache finds the account by identity.user.homeAccountId (getAccountByHomeId); acquireTokenSilent gives a Graph token for it; the given graphClient(accessToken) calls /me, asked only for PROFILE_FIELDS.',
        'const account = await msal.getTokenCache().getAccountByHomeId(identity.user.homeAccountId); const { accessToken } = await msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES }); const me = await graphClient(accessToken).api(\'/me\').select(PROFILE_FIELDS).get(); return { content: [{ type: \'text\', text: JSON.stringify(me, null, 2) }], structuredContent: me };',
      ],
    },
    {
      id: '03.5.2', step: '03.5', title: 'an expired Entra token is refreshed silently: one token request, not one per call', points: 2,
      hint: [
        'Who should decide when the user\'s Entra token needs refreshing: your code, or the library that holds the token and knows its expiry?',
        'Call acquireTokenSilent on every tool call: MSAL answers from its cache and refreshes only when the token is about to expire. Keep no access token of your own (no Map, nothing on identity.user).',
      ],
    },
    {
      id: '03.5.3', step: '03.5', title: 'a revoked Entra sign-in ends the session: sign in again (401), not a 500', points: 2,
      hint: [
        'When Entra will no longer refresh the user\'s token (revoked, expired), what should happen to the sessions your server gave out under that sign-in, and what should the client do next?',
        'Catch MSAL\'s InteractionRequiredAuthError from acquireTokenSilent (and treat a missing account the same): end the user\'s sessions with the given endSessionsOf and return an isError result that says to sign in again.',
        'try { ({ accessToken } = await msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES })); } catch (error) { if (error instanceof InteractionRequiredAuthError) { await endSessionsOf(identity.user); return failure(\'Your sign-in has expired. Sign in again.\'); } throw error; }',
      ],
    },
    {
      id: '03.5.4', step: '03.5', title: 'the hand run works in a browser: sign in on the tenant\'s page, then the tool answers', points: 2, needsBrowser: true,
      hint: [
        'This check is the whole sign-in as a person does it, in a real browser: it passes once steps 1 to 5 work together. Which of their checks still fail?',
        'Run `npm run lab -- 03` and follow "Try it by hand" in the README: the first step that fails there is the one to fix, and your server\'s output above it names the TODO or the error it met.',
      ],
    },
    {
      id: '03.5.5', step: '03.5', title: 'live or mock: a person signs in through your server in a browser, and the tool returns their profile', points: 0, gradable: false,
      reason: 'The same sign-in as 03.5.1 with the person at the keyboard in live mode (WORKBOOK_INTERACTIVE=1); in mock mode the fake tenant plays the person, so it repeats 03.5.1 and earns nothing.',
      hint: 'Live: follow the URL the check prints and sign in; the check waits WORKBOOK_PERSON_TIMEOUT seconds (180). Mock: see 03.5.1.',
    },
    {
      id: '03.5.6', step: '03.5', title: 'a busy Graph is retried, and a Graph that keeps refusing gets a short isError answer, not a 500', points: 2,
      hint: [
        'Graph is sometimes busy (429, 503). Who should retry, how long should they wait, and what does the user see when Graph keeps refusing?',
        'Call /me with the Graph client (the given graphClient(accessToken): Client.initWithMiddleware): it retries 429, 503 and 504 on its own, honouring Retry-After. Catch its GraphError: log graph_error with its statusCode (never the token) and return an isError result that names the status, not Graph\'s body.',
        'catch (error) { if (!(error instanceof GraphError)) throw error; log.warn({ event: \'graph_error\', oid: identity.user.oid, status: error.statusCode }, \'Graph /me failed\'); return failure(`Microsoft Graph answered ${error.statusCode}. Try again later.`); }',
      ],
    },
    {
      id: '03.5.7', step: '03.5', title: 'Graph refusing the user\'s token (401) ends the session and says to sign in again, not to try again later', points: 2,
      hint: [
        'Graph answers 401: it no longer accepts the user\'s Entra token. Will waiting change that, while MSAL keeps handing out the same cached token?',
        'A GraphError with statusCode 401 is a sign-in that no longer works: do what you do for InteractionRequiredAuthError (endSessionsOf(identity.user) and an isError result that says to sign in again).',
        'if (error.statusCode === 401) { await endSessionsOf(identity.user); return failure(\'Your sign-in has expired. Sign in again.\'); } before the \'try again later\' answer.',
      ],
    },
    {
      id: '03.6.1', step: '03.6', title: 'a page from another web origin is refused (403) before any token is looked at', points: 3,
      hint: [
        'A page in a browser always says where it comes from, and cannot lie about it. Which callers are not pages at all, which pages are yours, and what of everything else?',
        'The Origin header: none means not a web page (next()); one in a Set of whole allowed origins (new URL(o).origin) passes; anything else, "null" included, gets 403 with a JSON-RPC error. Never compare with startsWith or includes (http://localhost:3000.evil.example starts with the real one).',
        'const allowed = new Set(allowedOrigins.map((o) => new URL(o).origin)); return (req, res, next) => { const origin = req.header(\'origin\'); if (origin === undefined) return next(); if (allowed.has(origin)) return next(); res.status(403).json({ jsonrpc: \'2.0\', error: { code: -32000, message: \'Forbidden: this origin may not use the MCP endpoint.\' }, id: null }); };',
      ],
    },
    {
      id: '03.7.1', step: '03.7', title: 'what has expired is forgotten: sign-ins in progress, codes, sessions, client secrets', points: 2,
      hint: [
        'Everything the server remembers has an end: which time ends each kind of entry? A session whose access token expired may still be refreshed.',
        'In sweepExpired(now), loop over each table and this.remove(...) every entry whose time is up: pending sign-ins and codes at expiresAt, a session at refreshExpiresAt (not accessExpiresAt), a client when client_secret_expires_at (if set, not 0) is past.',
        'for (const [hash, pending] of this.pending) if (pending.expiresAt < now) this.remove(\'pending\', hash); the same for this.codes; for (const [id, session] of this.sessions) if (session.refreshExpiresAt < now) this.remove(\'sessions\', id); for clients: if (client.client_secret_expires_at && client.client_secret_expires_at < now) this.remove(\'clients\', id);',
      ],
    },
    {
      id: '03.7.2', step: '03.7', title: 'a flood cannot grow the server: oversized requests are refused, sign-ins in progress and clients are capped', points: 2,
      hint: [
        'Anyone can call /register and /authorize: what stops a script from making your server remember a million things?',
        'The limits are given (REQUEST_LIMITS, STORE_LIMITS); this check fails while steps 1 to 3 or 7 are unfinished.',
      ],
    },
  ],
  handRun: {
    script: 'src/hand-run.ts',
    server: { callback: true, script: 'src/main.ts' },
    description: 'Starts the MCP server on SERVER_BASE_URL (http://localhost:3000), signs Megan in through the fake tenant\'s page with a scripted browser, calls getUserDetails, refreshes, restarts the server; then keeps it running for your own client (see the README).',
  },
});
