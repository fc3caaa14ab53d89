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
      hint: [
        'Ask yourself what an attacker learns from two copies of the cache encrypted with the same key: if anything in them repeats, the encryption leaks. And decrypting a file someone changed must fail, not return text.',
        'node:crypto\'s createCipheriv and createDecipheriv with \'aes-256-gcm\'; a new randomBytes(IV_BYTES) for every encryption; the cipher\'s getAuthTag() after final(), kept in the blob beside the IV; the decipher\'s setAuthTag() before final().',
        'encryptCache: const iv = randomBytes(IV_BYTES); const cipher = createCipheriv(\'aes-256-gcm\', key, iv); const ciphertext = Buffer.concat([cipher.update(plaintext, \'utf8\'), cipher.final()]); return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]). decryptCache: split blob into iv (IV_BYTES), tag (TAG_BYTES) and the rest; const decipher = createDecipheriv(\'aes-256-gcm\', key, iv); decipher.setAuthTag(tag); return Buffer.concat([decipher.update(rest), decipher.final()]).toString(\'utf8\').',
      ],
    },
    {
      id: '02.1.2', step: '02.1', title: 'the cache file holds no token in plain text, has mode 0600 and signs you in again after a restart', points: 3,
      hint: [
        'Who can read the file, and when? From the moment it exists it is yours alone, and a crash halfway through a save must leave the old cache or the new one, never half of each.',
        'afterCacheAccess, only when context.cacheHasChanged: encrypt context.tokenCache.serialize() with your encryptCache, write it with writeFileSync to a temporary file beside path, created with its mode, then renameSync it over path.',
        'const temporary = `${path}.${process.pid}.tmp`; writeFileSync(temporary, encryptCache(context.tokenCache.serialize(), key), { mode: 0o600 }); renameSync(temporary, path). Never chmod afterwards, never write the cache file in place.',
      ],
    },
    {
      id: '02.2.1', step: '02.2', title: 'the first call answers at once with the page and the code to enter; once the person has, the next calls are silent', points: 3,
      hint: [
        'Two rules: the cache answers first, and a call never waits for a person. When nobody has signed in, the call fails at once with what the person must do, and the sign-in goes on without it.',
        'acquireToken(): msal\'s getAllAccounts(), then acquireTokenSilent with the account and GRAPH_SCOPES when there is one; with none, throw a SignInRequiredError with the prompt this.signIn() resolves to. deviceCodeSignIn: start msal\'s acquireTokenByDeviceCode with a deviceCodeCallback that shows the page and the code in the slot, and hand its promise to signIn(slot, ...) without awaiting it.',
        'acquireToken: const [account] = await this.msal.getAllAccounts(); if (account) return (await this.msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES })).accessToken; throw new SignInRequiredError(await this.signIn()). deviceCodeSignIn: const request = { scopes, deviceCodeCallback: ({ verificationUri, userCode, message, expiresIn }) => userCode && slot.show({ method: \'device-code\', url: verificationUri, userCode, message, expiresAt: Date.now() + expiresIn * 1000 }) }; return signIn(slot, msal.acquireTokenByDeviceCode(request), () => { request.cancel = true; }). Never await the flow.',
      ],
    },
    {
      id: '02.2.2', step: '02.2', title: 'an expired access token is renewed silently with the refresh token', points: 2,
      hint: [
        'An access token that has expired is not a reason to ask the person again: the refresh token is there for that, and MSAL knows when to use it.',
        'acquireTokenSilent renews an expired token itself: return what it gives you, and do not go to a sign-in when the silent call succeeds. Do not cache or compare expiry times yourself.',
      ],
    },
    {
      id: '02.2.3', step: '02.2', title: 'a revoked refresh token leads to a new device code sign-in', points: 2,
      hint: [
        'When the refresh token stops working (revoked, expired, a new consent needed), only the person can fix it: that one failure leads to a new sign-in.',
        'A revoked refresh token makes acquireTokenSilent throw msal\'s InteractionRequiredAuthError: catch exactly that error and fall through to the sign-in.',
        'try { return (await this.msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES })).accessToken; } catch (error) { if (!(error instanceof InteractionRequiredAuthError)) throw explain(error); } then, after the if: throw new SignInRequiredError(await this.signIn()).',
      ],
    },
    {
      id: '02.2.4', step: '02.2', title: 'a sign-in that cannot work fails with a message that says what to check', points: 1,
      hint: [
        'A sign-in cannot fix a network failure or a wrong client id: say what failed and what to check, and keep the reason the library gave.',
        'Only InteractionRequiredAuthError from the silent call leads to a sign-in; wrap any other error with the given explain(error), an AuthenticationError that keeps msal\'s reason and names LOCAL_CLIENT_ID and ENTRA_TENANT_ID. A sign-in Entra refuses at once makes the pending prompt reject: catch that in signIn() too.',
        'In acquireToken: if (!(error instanceof InteractionRequiredAuthError)) throw explain(error). In signIn(): try { return await this.pending.prompt; } catch (error) { throw explain(error); }',
      ],
    },
    {
      id: '02.2.5', step: '02.2', title: 'one sign-in at a time: every call while it is under way gets its code; a declined or expired one is forgotten', points: 3,
      hint: [
        'Picture the person with a code on screen while the client calls again: the second call must show the same code. And a sign-in that ended or can no longer finish must not answer every later call.',
        'signIn(): start a sign-in (this.startSignIn()) only when this.pending is empty, keep it there, and answer every call with this.pending.prompt. Forget it when its done settles, either way; before anything else, cancel and forget one whose expired() is true.',
        'if (this.pending?.expired()) { this.pending.cancel(); this.pending = undefined; } if (!this.pending) { const signIn = this.startSignIn(); this.pending = signIn; const forget = () => { if (this.pending === signIn) this.pending = undefined; }; signIn.done.then(forget, forget); } then return the prompt: try { return await this.pending.prompt; } catch (error) { throw explain(error); }',
      ],
    },
    {
      id: '02.2.6', step: '02.2', title: 'the browser sign-in: Entra\'s page opens once, the call answers at once without the page\'s URL, and an expired one is cancelled', points: 3,
      hint: [
        'The browser sign-in\'s URL carries a state that belongs to this sign-in alone: the person\'s browser sees it, the tool\'s answer does not. And a window nobody used must not keep a listener open for ever.',
        'sign-in.ts, browserSignIn: msal\'s acquireTokenInteractive with scopes and an openBrowser of yours that notes the page, calls the given openBrowser(url), then shows a prompt naming the page\'s host. Do not await the flow; give signIn() a cancel that calls abandonLoopback(signInPage).',
        'let signInPage: URL | undefined; const done = msal.acquireTokenInteractive({ scopes, openBrowser: async (url) => { signInPage = new URL(url); await openBrowser(url); slot.show({ method: \'browser\', message: `A browser window opened to sign you in at ${signInPage.host}. ...`, expiresAt: Date.now() + BROWSER_SIGN_IN_MS }); } }); return signIn(slot, done, () => signInPage && abandonLoopback(signInPage)).',
      ],
    },
    {
      id: '02.3.1', step: '02.3', title: 'the details are the signed-in user\'s four fields, asked for with $select', points: 3,
      hint: [
        'The tool\'s answer goes to a model and into a chat: what does it need to show, and what should never leave Graph?',
        'The Graph client\'s fluent API: api(\'/me\'), then select() with USER_DETAILS_FIELDS, then get(). Build the result yourself from the four fields.',
        'const me = await graph.api(\'/me\').select([...USER_DETAILS_FIELDS]).get(); return { displayName: me.displayName, mail: me.mail ?? null, userPrincipalName: me.userPrincipalName, id: me.id };',
      ],
    },
    {
      id: '02.4.1', step: '02.4', title: 'over stdio, the tool is listed with its schemas, answers at once with how to sign in, then returns your profile; stdout carries only JSON-RPC', points: 4,
      hint: [
        'stdout belongs to JSON-RPC: one stray line breaks the client. The tool says what it returns (a schema), answers at once when the person must sign in, and returns both data and a line of text.',
        'server.registerTool with TOOL_NAME, a title, a description, an empty inputSchema and outputSchema userDetailsShape. The handler returns structuredContent plus a text content; a SignInRequiredError becomes signInAnswer(error.prompt, server.server.getClientCapabilities()); log with console.error only.',
        'server.registerTool(TOOL_NAME, { title, description, inputSchema: {}, outputSchema: userDetailsShape }, async () => { try { const details = await getUserDetails(); return { structuredContent: details, content: [{ type: \'text\', text }] }; } catch (error) { if (error instanceof SignInRequiredError) return signInAnswer(error.prompt, server.server.getClientCapabilities()); console.error(...); return { isError: true, content: [{ type: \'text\', text: toolErrorMessage(error) }] }; } }).',
      ],
    },
    {
      id: '02.4.2', step: '02.4', title: 'Graph 401, 403 and 429 become tool errors that say what to do, and the server keeps serving', points: 3,
      hint: [
        'A failure is an answer, not a crash: tell the person what to do next, and never pass on what the error itself holds (a token, a stack, a path).',
        'Catch in the handler and return a tool error (isError: true) whose text is toolErrorMessage(error). In toolErrorMessage: an AuthenticationError\'s message as it is; a GraphError by its statusCode (401, 403, 429); anything else a fixed general message.',
        'return { isError: true, content: [{ type: \'text\', text: toolErrorMessage(error) }] }. toolErrorMessage: if (error instanceof AuthenticationError) return error.message; if (error instanceof GraphError) switch (error.statusCode) { case 401: sign in again; case 403: the app needs User.Read, consented for you; case 429: wait, then try again }; otherwise a fixed message that points to the server\'s log (never error.message or error.stack).',
      ],
    },
    {
      id: '02.4.3', step: '02.4', title: 'live or mock: a person signs in with the device code, and the tool returns their profile', points: 0, gradable: false,
      reason: 'The sign-in of 02.4.1 with the person at the keyboard in live mode (WORKBOOK_INTERACTIVE=1); in mock mode the fake tenant plays the person, so it repeats 02.4.1 and earns nothing.',
      hint: 'Live: open the address the check prints, enter the code and sign in; the check waits WORKBOOK_PERSON_TIMEOUT seconds (180). Mock: see 02.4.1.',
    },
    {
      id: '02.4.4', step: '02.4', title: 'a client that declares URL elicitation gets the sign-in page in a URLElicitationRequiredError; any other client gets a tool error that says what to do', points: 3,
      hint: [
        'Answer in the way the client said it can show: only a client that declared URL elicitation gets one. Everyone else reads the page and the code in a tool error.',
        'signInAnswer: look at capabilities?.elicitation?.url (an empty elicitation is form mode only) and prompt.url; throw the SDK\'s UrlElicitationRequiredError with one URL-mode elicitation, or return a tool error with prompt.message.',
        'if (prompt.url && capabilities?.elicitation?.url) throw new UrlElicitationRequiredError([{ mode: \'url\', elicitationId: prompt.id, url: prompt.url, message: prompt.message }]); return { isError: true, content: [{ type: \'text\', text: `${prompt.message} Then call ${TOOL_NAME} again.` }] };',
      ],
    },
    {
      id: '02.4.5', step: '02.4', title: 'a client that gives up after 60 s and a person who signs in after 75 s: the sign-in waits for them, and the next call returns the profile with no new code', points: 2,
      hint: [
        'The tool must answer before the client\'s timeout, and the sign-in must outlive the call: never await the person in the tool.',
        'acquireToken throws SignInRequiredError at once; the sign-in lasts as long as Entra\'s code (its expiresIn), not as long as a tool call: a call made meanwhile gets the same code.',
      ],
    },
  ],
  handRun: {
    script: 'src/hand-run.ts',
    description: 'Starts the stdio MCP server as an MCP client would and calls GetUserDetailsFromGraph: the first call answers at once with how to sign in (a page and a code, or a browser window); once you have, it calls again, restarts the server to show the encrypted cache, and shows how to connect the MCP Inspector, VS Code or Claude Desktop.',
  },
});
