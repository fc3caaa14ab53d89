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
      hint: ['generatePkceCodes() for the Entra leg, newSecret() for state and nonce; save the pending sign-in under hashSecret(state).', 'getAuthCodeUrl({ scopes: GRAPH_SCOPES, redirectUri, codeChallenge, codeChallengeMethod: \'S256\', state, nonce }), then res.redirect(302, url).'],
    },
    {
      id: '03.1.2', step: '03.1', title: 'a redirect URI the client did not register is refused, with no redirect', points: 2,
      hint: 'Compare params.redirectUri with client.redirect_uris exactly (includes), and answer 400 JSON yourself: never redirect to an unregistered URI.',
    },
    {
      id: '03.1.3', step: '03.1', title: 'a resource other than this server is refused, and nobody is sent to Entra', points: 1,
      hint: 'If params.resource is set, checkResourceAllowed({ requestedResource: params.resource, configuredResource: this.options.resource }) must hold; otherwise throw InvalidTargetError. Never compare the text with startsWith: http://127.0.0.1:3000@evil.example/ starts with http://127.0.0.1:3000.',
    },
    {
      id: '03.2.1', step: '03.2', title: 'a tampered, replayed or expired state is refused, and nothing is issued', points: 3,
      hint: ['takePendingSignIn(hashSecret(state)) forgets the entry as it returns it: a state works once.', 'Also refuse an entry whose expiresAt is past; answer 400 JSON without repeating the state.'],
    },
    {
      id: '03.2.2', step: '03.2', title: 'the MCP client gets a one-time code of the server\'s own, with its own state', points: 3,
      hint: ['acquireTokenByCode({ code, scopes, redirectUri, codeVerifier, state, nonce }) with the pending sign-in\'s verifier and nonce.', 'Save an IssuedCode under hashSecret(newSecret()) and redirect to the client\'s redirect URI with that code and the client\'s state.'],
    },
    {
      id: '03.2.3', step: '03.2', title: 'no Entra token, code or state reaches the MCP client or the logs', points: 2,
      hint: 'Log who signed in (the oid) and error names, never request values; the client\'s redirect carries only your code and its own state.',
    },
    {
      id: '03.2.4', step: '03.2', title: 'a sign-in that fails at Entra sends the client access_denied: no 500, and no code, state or message of Entra\'s', points: 2,
      hint: ['No code in the callback (error=access_denied, a cancelled sign-in): redirect to the client\'s redirect URI with error=access_denied and its own state.', 'Wrap acquireTokenByCode in try/catch: log errorName(error) (never the message: it can quote the code) and redirect with error=access_denied, never rethrow (a 500).'],
    },
    {
      id: '03.3.1', step: '03.3', title: 'the code buys an opaque session token, kept as a hash; an unknown or expired one is an InvalidTokenError', points: 3,
      hint: ['takeCode(hashSecret(code)), then new random tokens whose hashes you store with their expiry (startSession).', 'verifyAccessToken throws InvalidTokenError (a short fixed message) for anything but a live session; expiresAt is in seconds.'],
    },
    {
      id: '03.3.2', step: '03.3', title: 'a replayed, late or misdirected code, or a wrong PKCE verifier, gets no token', points: 2,
      hint: ['challengeForAuthorizationCode returns the stored challenge (the SDK compares); exchangeAuthorizationCode takes the code, so a second use finds nothing.', 'Then refuse it unless it is this client\'s, its expiresAt (one minute) is not past, and the redirect_uri sent to /token is the one it was issued for.'],
    },
    {
      id: '03.3.3', step: '03.3', title: 'refresh rotates the tokens, for its own client and within 14 days; revoke ends the session, for its own client', points: 3,
      hint: ['exchangeRefreshToken: find the session by hashSecret(refreshToken), refuse it unless session.clientId is the caller\'s and refreshExpiresAt is not past, then startSession(session) stores new hashes.', 'revokeToken: find the session by either token\'s hash and delete it only if it is this client\'s (another client\'s revocation is answered 200 and does nothing).'],
    },
    {
      id: '03.3.4', step: '03.3', title: 'a refresh token used twice ends the session for whoever holds it', points: 3,
      hint: ['sessionByRefreshToken also finds a session by a refresh token it has rotated out (usedRefreshTokenHashes).', 'When the token found is not the session\'s current one (session.refreshTokenHash !== hash), someone kept a copy: deleteSession(session.id), log refresh_token_reused, and throw InvalidGrantError.'],
    },
    {
      id: '03.3.5', step: '03.3', title: 'a registered client\'s secret is kept only as a hash, and still works at /token', points: 1,
      hint: 'Given code does this (client-secrets.ts); this check fails only while steps 1 to 3 are unfinished, or if the store or server.ts no longer use it.',
    },
    {
      id: '03.4.1', step: '03.4', title: 'no token or a bad one: 401 with a WWW-Authenticate that points to the resource metadata; a token without mcp.tools: 403', points: 2,
      hint: 'requireBearerAuth({ verifier, requiredScopes: [MCP_SCOPE], resourceMetadataUrl, expectedResource: resource }) before every /mcp route.',
    },
    {
      id: '03.4.2', step: '03.4', title: 'user B\'s token cannot drive user A\'s MCP session', points: 3,
      hint: ['Remember the oid of the user who opened each session (onsessioninitialized).', 'On every request with an mcp-session-id, answer 404 unless req.auth\'s user is the session\'s user.'],
    },
    {
      id: '03.4.3', step: '03.4', title: 'the legacy /sse + /messages pair has the same bearer check and user binding', points: 2,
      hint: ['GET /sse: a new SSEServerTransport(\'/messages\', res), remembered by its sessionId with the user\'s oid.', 'POST /messages?sessionId=...: 404 unless the session is the caller\'s, then transport.handlePostMessage(req, res, req.body).'],
    },
    {
      id: '03.4.4', step: '03.4', title: 'an old client signs in from /sse too: the 401 names metadata that covers it', points: 1,
      hint: 'The protected resource is the whole server (its origin), so one metadata document covers /mcp and /sse: pass options.resource and options.resourceMetadataUrl to requireBearerAuth on every route.',
    },
    {
      id: '03.4.5', step: '03.4', title: 'an MCP session closes when its sign-in ends, and when it lies idle', points: 2,
      hint: ['Keep sessions in the given OpenSessions (add in onsessioninitialized, find on every request): it closes them when their grant ends or after 30 idle minutes.', 'For /sse: legacySessions.add(transport.sessionId, transport, caller) and legacySessions.find(req.query.sessionId, caller).'],
    },
    {
      id: '03.5.1', step: '03.5', title: 'getUserDetails returns the signed-in user\'s own profile', points: 3,
      hint: ['getAccountByHomeId(identity.user.homeAccountId), then acquireTokenSilent({ account, scopes: GRAPH_SCOPES }).', 'fetch Graph /me with that token as a Bearer token and return the JSON as the tool\'s text.'],
    },
    {
      id: '03.5.2', step: '03.5', title: 'an expired Entra token is refreshed silently: one token request, not one per call', points: 2,
      hint: 'Call acquireTokenSilent on every tool call: MSAL answers from its cache and refreshes only when the token is about to expire.',
    },
    {
      id: '03.5.3', step: '03.5', title: 'a revoked Entra sign-in ends the session: sign in again (401), not a 500', points: 2,
      hint: 'Catch InteractionRequiredAuthError from acquireTokenSilent, end the user\'s sessions (endSessionsOf) and return an isError result that says to sign in again.',
    },
    {
      id: '03.5.4', step: '03.5', title: 'the hand run works in a browser: sign in on the tenant\'s page, then the tool answers', points: 2, needsBrowser: true,
      hint: 'Run `npm run lab -- 03` and follow "Try it by hand" in the README: the first step that fails there is the one to fix.',
    },
    {
      id: '03.5.5', step: '03.5', title: 'live or mock: a person signs in through your server in a browser, and the tool returns their profile', points: 0, gradable: false,
      reason: 'The same sign-in as 03.5.1 with the person at the keyboard in live mode (WORKBOOK_INTERACTIVE=1); in mock mode the fake tenant plays the person, so it repeats 03.5.1 and earns nothing.',
      hint: 'Live: follow the URL the check prints and sign in; the check waits WORKBOOK_PERSON_TIMEOUT seconds (180). Mock: see 03.5.1.',
    },
    {
      id: '03.5.6', step: '03.5', title: 'a busy Graph is retried, and a Graph that keeps refusing gets a short isError answer, not a 500', points: 2,
      hint: ['Call /me with the Graph client (Client.initWithMiddleware({ authProvider: { getAccessToken } })): it retries 429, 503 and 504 on its own, honouring Retry-After.', 'Catch GraphError: log graph_error with its statusCode (never the token) and return an isError result that names the status, not Graph\'s body.'],
    },
    {
      id: '03.5.7', step: '03.5', title: 'Graph refusing the user\'s token (401) ends the session and says to sign in again, not to try again later', points: 2,
      hint: ['A GraphError with statusCode 401 means Graph no longer accepts the user\'s Entra token: waiting will not change that.', 'For a 401, do what you do for InteractionRequiredAuthError: endSessionsOf(identity.user) and an isError result that says to sign in again.'],
    },
    {
      id: '03.6.1', step: '03.6', title: 'a page from another web origin is refused (403) before any token is looked at', points: 3,
      hint: ['No Origin header: next(). An Origin in the allowed set (whole origins, e.g. http://localhost:3000): next(). Anything else, "null" included: 403 with a JSON-RPC error.', 'Compare the whole origin with a Set of allowed origins; never startsWith or includes (http://localhost:3000.evil.example starts with the real one).'],
    },
    {
      id: '03.7.1', step: '03.7', title: 'what has expired is forgotten: sign-ins in progress, codes, sessions, client secrets', points: 2,
      hint: ['In sweepExpired(now), loop over each table and this.remove(...) every entry whose time is up.', 'Pending sign-ins and codes end at expiresAt; a session at refreshExpiresAt (not accessExpiresAt: it can still be refreshed); a client when client_secret_expires_at (if set, not 0) is past.'],
    },
    {
      id: '03.7.2', step: '03.7', title: 'a flood cannot grow the server: oversized requests are refused, sign-ins in progress and clients are capped', points: 2,
      hint: 'The limits are given (REQUEST_LIMITS, STORE_LIMITS); this check fails while steps 1 to 3 or 7 are unfinished.',
    },
  ],
  handRun: {
    script: 'src/hand-run.ts',
    server: { callback: true, script: 'src/main.ts' },
    description: 'Starts the MCP server on SERVER_BASE_URL (http://localhost:3000), signs Megan in through the fake tenant\'s page with a scripted browser, calls getUserDetails, refreshes, restarts the server; then keeps it running for your own client (see the README).',
  },
});
