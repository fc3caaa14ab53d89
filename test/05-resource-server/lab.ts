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
      hint: ['resource is the MCP endpoint\'s URL; authorization_servers holds `${authority}/v2.0`.', "scopes_supported: [toolsScope(clientId)]; bearer_methods_supported: ['header']."],
    },
    {
      id: '05.2.1', step: '05.2', title: 'a token Entra issued for this API is accepted, with the user and full scopes', points: 2,
      hint: ['jwtVerify(token, keys, { algorithms, issuer, audience, clockTolerance }) and return AuthInfo.', 'scopes: each name in scp as api://{clientId}/{name}; expiresAt: payload.exp (seconds).'],
    },
    {
      id: '05.2.2', step: '05.2', title: 'every bad token is refused for the right reason, logged on the server only', points: 5,
      hint: ['Catch jose\'s errors, log({ event: \'token_refused\', reason: reasonFor(error), detail: error.message }), throw new InvalidTokenError(REFUSED).', "algorithms: ['RS256'] refuses none and HS256; check payload.tid against the tenant; never log the token."],
    },
    {
      id: '05.2.3', step: '05.2', title: 'the signing keys are fetched once for many tokens, and once more after a rotation', points: 3,
      hint: ['Create the remote JWKS once per verifier (discovery once), not once per token.', 'createRemoteJWKSet refetches by itself for an unknown kid, once per cooldown.'],
    },
    {
      id: '05.2.4', step: '05.2', title: 'a hostile token cannot forge lines in the server\'s log', points: 2,
      hint: [
        "jose's messages quote the token's own header (an unknown `crit` name, newlines included): a sentence built from them can start a line of the attacker's choosing.",
        "Hand log() an event object, e.g. log({ event: 'token_refused', reason: reasonFor(error), detail: error.message }): the sink writes it with JSON.stringify, which escapes newlines.",
      ],
    },
    {
      id: '05.2.5', step: '05.2', title: 'unreachable Entra keys are the server\'s error (500), not the token\'s (401)', points: 2,
      hint: [
        'Throw InvalidTokenError only for a token jose refused; rethrow anything else (a network failure, ERR_JWKS_TIMEOUT, the JWKS answering 503), and requireBearerAuth answers 500.',
        'A 401 tells the client its token is bad: it throws a good token away and signs the person in again, for a fault that is yours.',
      ],
    },
    {
      id: '05.3.1', step: '05.3', title: 'Graph is called with an on-behalf-of token, never the client\'s', points: 3,
      hint: ['acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes }) then GET /me with result.accessToken.', 'The incoming token is for your API: Graph would refuse it, and sending it on is token passthrough.'],
    },
    {
      id: '05.3.2', step: '05.3', title: 'missing consent becomes a clear error, not a crash', points: 2,
      hint: 'Catch InteractionRequiredAuthError and throw a ConsentRequiredError that says who must grant what.',
    },
    {
      id: '05.4.1', step: '05.4', title: 'the metadata is served and a 401 challenge points to it, exactly', points: 3,
      hint: ['app.get(metadataUrl.pathname, ...) serves protectedResourceMetadata(...).', 'requireBearerAuth({ verifier, requiredScopes: [toolsScope(clientId)], resourceMetadataUrl: metadataUrl.href }).'],
    },
    {
      id: '05.4.2', step: '05.4', title: 'a bad token gets 401, a token without the scope 403 insufficient_scope', points: 2,
      hint: 'Put the bearer middleware in front of POST /mcp; the verifier gives the scopes, requireBearerAuth compares them.',
    },
    {
      id: '05.4.3', step: '05.4', title: 'a stateless endpoint serves many users, each as themselves', points: 3,
      hint: ['A new McpServer and StreamableHTTPServerTransport({ sessionIdGenerator: undefined }) per request.', 'The tool reads the caller from extra.authInfo, which requireBearerAuth set.'],
    },
    {
      id: '05.4.4', step: '05.4', title: 'a request from another website\'s page is refused (Origin)', points: 3,
      hint: [
        'refuseForeignOrigins: no Origin header, let it through; otherwise parse it (URL.canParse, new URL(origin).origin) and compare with the allowed set; anything else, `null` and malformed values included, gets 403.',
        'Mount it on every method of /mcp, before the bearer check: app.use(MCP_PATH, refuseForeignOrigins([mcpUrl.origin, ...allowedOrigins])) above requireBearerAuth.',
      ],
    },
    {
      id: '05.5.1', step: '05.5', title: 'the SDK\'s OAuth client signs in with a pre-registered client and calls the tool', points: 4,
      hint: ['Entra refuses resource=<server URL> (AADSTS9010010): return the Application ID URI from validateResourceURL.', 'Keep the SDK\'s own check first: checkResourceAllowed({ requestedResource: serverUrl, configuredResource: resource }).'],
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
