// Lab 05's manifest: the MCP authorization model as the specification has it. The server is an OAuth
// resource server for Entra-issued tokens, and calls Graph on the user's behalf.
import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '05',
  slug: '05-resource-server',
  title: 'A resource server with on-behalf-of',
  summary: 'Make the HTTP MCP server an OAuth resource server for Entra tokens (metadata, challenges, a strict verifier), call Graph on-behalf-of, and connect the SDK\'s own OAuth client.',
  steps: [
    { id: '05.1', title: 'Publish the protected resource metadata', file: 'src/resource-metadata.ts', readme: '#step-1-publish-the-protected-resource-metadata' },
    { id: '05.2', title: 'Verify Entra access tokens', file: 'src/token-verifier.ts', readme: '#step-2-verify-entra-access-tokens' },
    { id: '05.3', title: 'Call Graph on the user\'s behalf', file: 'src/on-behalf-of.ts', readme: '#step-3-call-graph-on-the-users-behalf' },
    { id: '05.4', title: 'Serve MCP behind the bearer check', file: 'src/server.ts', readme: '#step-4-serve-mcp-behind-the-bearer-check' },
    { id: '05.5', title: 'Name the resource the way Entra does', file: 'src/mcp-client.ts', readme: '#step-5-name-the-resource-the-way-entra-does' },
  ],
  checks: [
    {
      id: '05.1.1', step: '05.1', title: 'the metadata names the server, the tenant\'s Entra issuer and the full scope', points: 2,
      hint: [
        "A client that knows only your URL reads this document to learn who issues tokens for you and which scope to ask for. Which URL will it compare `resource` with, and where should a token never travel?",
        "Return the four fields of step 1's table: the endpoint's own URL, the tenant's v2 issuer (the authority with /v2.0 after it), the scope in full (toolsScope() builds it), and the header as the only bearer method.",
        "return { resource: mcpUrl.href, authorization_servers: [`${authority}/v2.0`], scopes_supported: [toolsScope(clientId)], bearer_methods_supported: ['header'] };",
      ],
    },
    {
      id: '05.2.1', step: '05.2', title: 'a token Entra issued for this API is accepted, with the user and full scopes', points: 2,
      hint: [
        "A good token comes out as the SDK's AuthInfo. In which unit does the SDK read expiresAt, and which scope name does step 4 require: the short one in the token, or the full one a client asks Entra for?",
        "Verify with jose's jwtVerify against the file's key set (from discovery()), then build AuthInfo from the payload: azp as clientId, each scp name as api://{clientId}/{name}, exp as it is (seconds), the user's oid, tid and name in extra.",
        "const { payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], issuer, audience: [clientId, `api://${clientId}`], clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp', 'nbf', 'tid'] }); return { token, clientId: String(payload.azp ?? ''), scopes: scp.map((name) => `api://${clientId}/${name}`), expiresAt: payload.exp!, extra: { oid: payload.oid, tid: payload.tid, name: payload.name } };",
      ],
    },
    {
      id: '05.2.2', step: '05.2', title: 'every bad token is refused for the right reason, logged on the server only', points: 5,
      hint: [
        "For each row of step 2's table, ask which header or claim tells you the token is not signed by Entra, not from your tenant, not for you, or not valid now. And how much should the client learn about which one it was? Nothing: that goes to your log.",
        "jwtVerify's options refuse most rows (algorithms, issuer, audience, clockTolerance, requiredClaims); compare payload.tid with the tenant yourself. Catch jose's errors: log a token_refused event whose reason comes from reasonFor(error), then throw the SDK's InvalidTokenError with REFUSED.",
        "Options { algorithms: ['RS256'], issuer, audience: [clientId, `api://${clientId}`], clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp', 'nbf', 'tid'] }; then if (payload.tid !== tenantId) throw new Refusal('wrong tenant'); and in the catch: log({ event: 'token_refused', reason: reasonFor(error), detail: error.message }) (for a Refusal, reason: error.message), then throw new InvalidTokenError(REFUSED). Never log the token.",
      ],
    },
    {
      id: '05.2.3', step: '05.2', title: 'the signing keys are fetched once for many tokens, and once more after a rotation', points: 3,
      hint: [
        "How many times should a hundred tokens make your server ask Entra for its keys? And a rotation? Whatever holds the keys has to outlive one request.",
        "Use the file's discovery(), which runs once per verifier and keeps its result, not discover() per token; jose's remote key set refetches by itself for an unknown kid, at most once per cooldown.",
        "const { issuer, tenantId, keys } = await discovery(); at the top of verifyAccessToken, and jwtVerify(token, keys, { ... }) with those keys.",
      ],
    },
    {
      id: '05.2.4', step: '05.2', title: 'a hostile token cannot forge lines in the server\'s log', points: 2,
      hint: [
        "Who wrote the words in jose's error message? Part of it is the token's own header, chosen by the attacker: what if it holds a newline and you print the message as a line of text?",
        "Hand the log option an event object, never a sentence: log.ts writes one JSON object per line, and JSON escapes newlines and terminal escapes.",
        "log({ event: 'token_refused', reason: reasonFor(error), detail: error.message }), never console.error(`Refused a bearer token: ${error.message}`).",
      ],
    },
    {
      id: '05.2.5', step: '05.2', title: 'unreachable Entra keys are the server\'s error (500), not the token\'s (401)', points: 2,
      hint: [
        "If Entra's keys cannot be fetched, is the token bad, or is your server? A 401 tells the client its token is bad: it throws a good token away and signs the person in again, for a fault that is yours.",
        "Throw InvalidTokenError only for a token jose refused; rethrow anything else (a network failure, or one of the codes in KEYS_UNAVAILABLE: a timeout, the JWKS answering 503), and requireBearerAuth answers 500.",
        "catch (error) { if (error instanceof errors.JOSEError && !KEYS_UNAVAILABLE.includes(error.code)) { log({ event: 'token_refused', reason: reasonFor(error), detail: error.message }); throw new InvalidTokenError(REFUSED); } throw error; }",
      ],
    },
    {
      id: '05.3.1', step: '05.3', title: 'Graph is called with an on-behalf-of token, never the client\'s', points: 3,
      hint: [
        "The token you received was issued for your API. Who else should ever see it? Graph needs a token of its own, for the same user, issued to your server.",
        "Let MSAL make the on-behalf-of exchange with the confidential client the file builds (msal), then call Graph /me with the token it returns; MSAL caches it per incoming token, so keep no token yourself.",
        "const result = await msal.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: graphScopes }); then fetch('https://graph.microsoft.com/v1.0/me?$select=id,displayName,userPrincipalName,jobTitle', { headers: { authorization: `Bearer ${result.accessToken}` } }).",
      ],
    },
    {
      id: '05.3.2', step: '05.3', title: 'missing consent becomes a clear error, not a crash', points: 2,
      hint: [
        "The server has no browser to show a consent page. What does the person calling the tool need to read: what is missing, and who can grant it?",
        "msal throws an InteractionRequiredAuthError for Entra's AADSTS65001 (consent_required is its subError, not its errorCode): catch that class around the exchange and throw the file's ConsentRequiredError.",
        "catch (error) { if (error instanceof InteractionRequiredAuthError) throw new ConsentRequiredError(`The server may not use Microsoft Graph (${graphScopes.join(', ')}) for you yet: the permission has not been granted. An administrator can grant it: App registrations > the server > API permissions > Grant admin consent.`); throw error; }",
      ],
    },
    {
      id: '05.4.1', step: '05.4', title: 'the metadata is served and a 401 challenge points to it, exactly', points: 3,
      hint: [
        "A client with no token learns where to sign in from your 401 alone. What does the challenge point to, and who may read that document, from where?",
        "Serve protectedResourceMetadata(...) at resourceMetadataUrl(mcpUrl).pathname with Access-Control-Allow-Origin: *, and give the SDK's requireBearerAuth the metadata URL and the full scope, so each 401 names both.",
        "app.get(metadataUrl.pathname, (_req, res) => { res.set('access-control-allow-origin', '*'); res.json(metadata); }); requireBearerAuth({ verifier: tokenVerifier, requiredScopes: [toolsScope(clientId)], resourceMetadataUrl: metadataUrl.href }).",
      ],
    },
    {
      id: '05.4.2', step: '05.4', title: 'a bad token gets 401, a token without the scope 403 insufficient_scope', points: 2,
      hint: [
        "401 means 'who are you?', 403 means 'not this'. Which does a valid token without the tool scope deserve, and which a token your verifier refused?",
        "Put the bearer middleware in front of POST /mcp: your verifier gives the scopes, requireBearerAuth compares them with requiredScopes and answers 403 insufficient_scope; keep the file's JSON error handler last.",
        "const bearer = requireBearerAuth({ verifier: tokenVerifier, requiredScopes: [toolsScope(clientId)], resourceMetadataUrl: metadataUrl.href }); app.post(MCP_PATH, bearer, async (req, res) => { ... });",
      ],
    },
    {
      id: '05.4.3', step: '05.4', title: 'a stateless endpoint serves many users, each as themselves', points: 3,
      hint: [
        "If nothing survives a request, what is left to steal or to mix up between users? And where does the tool learn who is calling, if not from a session?",
        "Per POST: a new McpServer (createMcpServer) and a new StreamableHTTPServerTransport with no session IDs; GET and DELETE get 405 from a handler of your own. The tool reads the caller from extra.authInfo, which requireBearerAuth set.",
        "const server = createMcpServer({ me: graph.me, log }); const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }); await server.connect(transport); await transport.handleRequest(req, res, req.body); and app.all(MCP_PATH, bearer, (_req, res) => { res.set('allow', 'POST').status(405).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }); });",
      ],
    },
    {
      id: '05.4.4', step: '05.4', title: 'a request from another website\'s page is refused (Origin)', points: 3,
      hint: [
        "A page of another website runs in your user's browser. Which header says where it comes from, set by the browser where the page's script cannot change it? Which of its values are yours, and what of a request that has none?",
        'refuseForeignOrigins: no Origin header, let it through; otherwise parse it and compare its origin (scheme, host, port) with the allowed set, never a prefix; anything else, `null` and malformed values included, gets 403. Mount it on every method of /mcp, before the bearer check.',
        "if (origin === undefined) return next(); if (URL.canParse(origin) && allowed.has(new URL(origin).origin)) return next(); res.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden' }, id: null }); and app.use(MCP_PATH, refuseForeignOrigins([mcpUrl.origin, ...allowedOrigins])) above requireBearerAuth.",
      ],
    },
    {
      id: '05.5.1', step: '05.5', title: 'the SDK\'s OAuth client signs in with a pre-registered client and calls the tool', points: 4,
      hint: [
        "Entra accepts a resource only when it names the API that owns the scope; the specification says the client sends one, and refuses metadata that names another server than the one it called. Which of those can you keep, and how?",
        "In validateResourceURL, first do the SDK's own check (checkResourceAllowed, from the SDK's auth helpers) and throw if the metadata names another resource; then return the Application ID URI from the provider's options.",
        "if (!resource || !checkResourceAllowed({ requestedResource: serverUrl, configuredResource: resource })) throw new Error('...'); return new URL(this.options.applicationIdUri);",
      ],
    },
    {
      id: '05.5.2', step: '05.5', title: 'live or mock: a person signs in at Entra through the SDK\'s client, and whoami returns their profile', points: 0, gradable: false,
      reason: 'The sign-in of 05.5.1 with the person at the keyboard in live mode (WORKBOOK_INTERACTIVE=1); in mock mode the fake tenant plays the person, so it repeats 05.5.1 and earns nothing.',
      hint: 'Live: open the URL the check prints and sign in; the check waits WORKBOOK_PERSON_TIMEOUT seconds (180). Mock: see 05.5.1.',
    },
  ],
  handRun: {
    script: 'src/main.ts',
    server: {},
    description: 'The resource server on SERVER_BASE_URL (http://localhost:3000)/mcp: connect the MCP Inspector (or VS Code) with the pre-registered client ID it prints, then call whoami.',
  },
});
