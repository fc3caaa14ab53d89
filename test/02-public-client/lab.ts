// Lab 02's manifest: a local stdio MCP server that signs the user in with an MSAL public client (silent
// first, then a sign-in in the background: the system browser or a device code) without ever making a
// tool call wait, keeps the token cache encrypted on disk, and returns the user's profile from Graph.
import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '02',
  slug: '02-public-client',
  title: 'Public client',
  summary: 'A local stdio MCP server whose tool GetUserDetailsFromGraph signs the user in with MSAL (silent first, then the system browser or a device code, in the background while the tool answers at once), keeps the token cache encrypted, and reads /me from Graph.',
  steps: [
    { id: '02.1', title: 'Encrypt the token cache', file: 'src/token-cache.ts', readme: '#step-1-encrypt-the-token-cache' },
    { id: '02.2', title: 'Sign in: silent first, then in the background', file: 'src/authentication-service.ts', readme: '#step-2-sign-in-silent-first-then-in-the-background' },
    { id: '02.3', title: 'Read the user\'s details from Graph', file: 'src/graph.ts', readme: '#step-3-read-the-users-details-from-graph' },
    { id: '02.4', title: 'Serve the tool over stdio', file: 'src/mcp-server.ts', readme: '#step-4-serve-the-tool-over-stdio' },
  ],
  checks: [
    {
      id: '02.1.1', step: '02.1', title: 'the cache is encrypted: a wrong key or a changed byte is refused', points: 2,
      hint: ['createCipheriv(\'aes-256-gcm\', key, iv) with a new randomBytes(12) IV each time; keep the IV and getAuthTag() with the ciphertext.', 'Decrypt: split iv | tag | ciphertext, setAuthTag(tag) before final(); final() throws on a wrong key or a changed byte.'],
    },
    {
      id: '02.1.2', step: '02.1', title: 'the cache file holds no token in plain text, has mode 0600 and signs you in again after a restart', points: 3,
      hint: ['afterCacheAccess: only when context.cacheHasChanged, write encryptCache(context.tokenCache.serialize(), key).', 'writeFileSync(temporary, data, { mode: 0o600 }) then renameSync(temporary, path): never chmod afterwards, never write the cache file in place.'],
    },
    {
      id: '02.2.1', step: '02.2', title: 'the first call answers at once with the page and the code to enter; once the person has, the next calls are silent', points: 3,
      hint: [
        'getAllAccounts(), then acquireTokenSilent({ account, scopes: GRAPH_SCOPES }) when there is one. No account: throw new SignInRequiredError(await this.signIn()).',
        'sign-in.ts, deviceCodeSignIn: const request = { scopes, deviceCodeCallback: ({ verificationUri, userCode, message, expiresIn }) => slot.show({ method: \'device-code\', url: verificationUri, userCode, message, expiresAt: Date.now() + expiresIn * 1000 }) }; return signIn(slot, msal.acquireTokenByDeviceCode(request), () => { request.cancel = true; }). Never await the flow.',
      ],
    },
    {
      id: '02.2.2', step: '02.2', title: 'an expired access token is renewed silently with the refresh token', points: 2,
      hint: 'acquireTokenSilent renews an expired token itself: do not go to the device code when the silent call succeeds.',
    },
    {
      id: '02.2.3', step: '02.2', title: 'a revoked refresh token leads to a new device code sign-in', points: 2,
      hint: ['A revoked refresh token makes acquireTokenSilent throw InteractionRequiredAuthError.', 'Catch exactly that error and fall through to the sign-in (throw new SignInRequiredError(await this.signIn())); throw explain(error) for any other.'],
    },
    {
      id: '02.2.4', step: '02.2', title: 'a sign-in that cannot work fails with a message that says what to check', points: 1,
      hint: ['Wrap msal\'s errors with explain(error): an AuthenticationError that keeps msal\'s reason and names LOCAL_CLIENT_ID and ENTRA_TENANT_ID. A sign-in Entra refuses makes the pending prompt fail: catch that in signIn() too.', 'Only InteractionRequiredAuthError from acquireTokenSilent leads to a sign-in; throw explain(error) for any other error (Entra unavailable, the network).'],
    },
    {
      id: '02.2.5', step: '02.2', title: 'one sign-in at a time: every call while it is under way gets its code; a declined or expired one is forgotten', points: 3,
      hint: [
        'signIn(): start a sign-in only when this.pending is empty; every other call returns this.pending.prompt.',
        'Forget it when it ends: signIn.done.then(forget, forget), where forget clears this.pending if it is still that sign-in. Before anything else, if this.pending.expired(): cancel() it and clear this.pending.',
      ],
    },
    {
      id: '02.2.6', step: '02.2', title: 'the browser sign-in: Entra\'s page opens once, the call answers at once without the page\'s URL, and an expired one is cancelled', points: 3,
      hint: [
        'sign-in.ts, browserSignIn: msal.acquireTokenInteractive({ scopes, openBrowser: async (url) => { signInPage = new URL(url); await openBrowser(url); slot.show({ method: \'browser\', message, expiresAt: Date.now() + BROWSER_SIGN_IN_MS }); } }), not awaited.',
        'The message names signInPage.host, never the URL (it holds the state). Return signIn(slot, done, () => signInPage && abandonLoopback(signInPage)); signIn() cancels it once expired() says so.',
      ],
    },
    {
      id: '02.3.1', step: '02.3', title: 'the details are the signed-in user\'s four fields, asked for with $select', points: 3,
      hint: ['graph.api(\'/me\').select([...USER_DETAILS_FIELDS]).get()', 'Return a new object with displayName, mail, userPrincipalName and id only.'],
    },
    {
      id: '02.4.1', step: '02.4', title: 'over stdio, the tool is listed with its schemas, answers at once with how to sign in, then returns your profile; stdout carries only JSON-RPC', points: 4,
      hint: [
        'server.registerTool(TOOL_NAME, { title, description, inputSchema: {}, outputSchema: userDetailsShape }, handler).',
        'The handler returns { structuredContent: details, content: [{ type: \'text\', text }] }; a SignInRequiredError becomes signInAnswer(error.prompt, server.server.getClientCapabilities()); log with console.error only.',
      ],
    },
    {
      id: '02.4.2', step: '02.4', title: 'Graph 401, 403 and 429 become tool errors that say what to do, and the server keeps serving', points: 3,
      hint: ['Catch in the handler: return { isError: true, content: [{ type: \'text\', text: toolErrorMessage(error) }] }.', 'toolErrorMessage: a GraphError\'s statusCode 401 says sign in again, 403 names User.Read, 429 says wait and try again.', 'An AuthenticationError\'s message as it is; anything else a fixed general message (never the error\'s own message or stack: it may hold a token).'],
    },
    {
      id: '02.4.3', step: '02.4', title: 'live or mock: a person signs in with the device code, and the tool returns their profile', points: 0, gradable: false,
      reason: 'The sign-in of 02.4.1 with the person at the keyboard in live mode (WORKBOOK_INTERACTIVE=1); in mock mode the fake tenant plays the person, so it repeats 02.4.1 and earns nothing.',
      hint: 'Live: open the address the check prints, enter the code and sign in; the check waits WORKBOOK_PERSON_TIMEOUT seconds (180). Mock: see 02.4.1.',
    },
    {
      id: '02.4.4', step: '02.4', title: 'a client that declares URL elicitation gets the sign-in page in a URLElicitationRequiredError; any other client gets a tool error that says what to do', points: 3,
      hint: [
        'signInAnswer: if prompt.url and capabilities?.elicitation?.url, throw new UrlElicitationRequiredError([{ mode: \'url\', elicitationId: prompt.id, url: prompt.url, message: prompt.message }]).',
        'Otherwise (no URL elicitation declared, or the browser was opened for the person) return { isError: true, content: [{ type: \'text\', text: `${prompt.message} Then call ${TOOL_NAME} again.` }] }.',
      ],
    },
    {
      id: '02.4.5', step: '02.4', title: 'a client that gives up after 60 s and a person who signs in after 75 s: the sign-in waits for them, and the next call returns the profile with no new code', points: 2,
      hint: [
        'The tool must answer before the client\'s timeout: never await the sign-in in the tool (acquireToken throws SignInRequiredError at once).',
        'The sign-in lasts as long as Entra\'s code (its expiresIn), not as long as a tool call: a call made meanwhile gets the same code.',
      ],
    },
  ],
  handRun: {
    script: 'src/hand-run.ts',
    description: 'Starts the stdio MCP server as an MCP client would and calls GetUserDetailsFromGraph: the first call answers at once with how to sign in (a page and a code, or a browser window); once you have, it calls again, restarts the server to show the encrypted cache, and shows how to connect the MCP Inspector, VS Code or Claude Desktop.',
  },
});
