// `/{tenant}/oauth2/v2.0/authorize`: the browser's part of the authorization code flow. GET shows the
// sign-in page (or, with a sign-in session cookie, answers at once); POST is that page's form: the
// chosen user (and consent), then a redirect to the app with a single-use code and the app's `state`.
// Order matters, as in Entra: until the client and its redirect URI are known to be registered, an
// error is an HTML page; after that, errors go back to the redirect URI.
import type { Authority, Call } from './context.ts';
import { aadsts, signInPageError } from './aadsts.ts';
import { EntraError, errorBody, errorPage } from './errors.ts';
import { consentedScopes, findApp, findUser, grantConsent, isConfidential, isRegisteredRedirectUri } from '../directory.ts';
import { consentPage, formPostPage, htmlResponse, page, showing, signInPage } from './pages.ts';
import type { Application, FakeUser } from '../model.ts';
import { parseScopes, type ScopeRequest } from './scopes.ts';

/** The sign-in session cookie (Entra's is called ESTSAUTH too). */
export const SESSION_COOKIE = 'ESTSAUTH';
const RESPONSE_MODES = ['query', 'fragment', 'form_post'];
const PROMPTS = ['login', 'none', 'consent', 'select_account'];

/** Where a result (a code or an error) is sent, once the redirect URI is trusted. */
interface ReplyTo {
  redirectUri: string;
  responseMode: string;
  state: string | null;
}

interface AuthorizeRequest {
  client: Application;
  reply: ReplyTo;
  params: URLSearchParams;
  scopes: ScopeRequest;
  prompt: string | null;
}

export async function authorize(authority: Authority, call: Call): Promise<Response> {
  const isPost = call.request.method === 'POST';
  const params = isPost ? new URLSearchParams(await call.request.text()) : call.url.searchParams;
  let client: Application;
  let reply: ReplyTo;
  try {
    ({ client, reply } = trustedClient(authority, call, params));
  } catch (failure) {
    if (failure instanceof EntraError) return errorPage(failure, { origin: call.origin, now: authority.now(), correlationId: call.correlationId });
    throw failure;
  }
  try {
    const request = validate(authority, client, reply, params);
    return isPost ? await signInForm(authority, call, request) : await signInOrSkip(authority, call, request);
  } catch (failure) {
    if (failure instanceof EntraError) return sendError(authority, call, reply, failure);
    throw failure;
  }
}

/** The client must exist and the redirect URI must be registered for it, exactly: else no redirect. */
function trustedClient(authority: Authority, call: Call, params: URLSearchParams): { client: Application; reply: ReplyTo } {
  const clientId = params.get('client_id');
  if (!clientId) throw aadsts('missingParameter', 'client_id');
  const client = findApp(authority.model, clientId);
  if (!client || authority.model.firstPartyApis.includes(client)) throw aadsts('unknownClient', clientId, call.tenant);
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) throw aadsts('missingParameter', 'redirect_uri');
  if (!isRegisteredRedirectUri(client, redirectUri)) throw aadsts('redirectUriNotRegistered', redirectUri, client.appId);
  const responseMode = params.get('response_mode') ?? 'query';
  if (!RESPONSE_MODES.includes(responseMode)) throw aadsts('unsupportedResponseMode', responseMode);
  return { client, reply: { redirectUri, responseMode, state: params.get('state') } };
}

function validate(authority: Authority, client: Application, reply: ReplyTo, params: URLSearchParams): AuthorizeRequest {
  const responseType = params.get('response_type');
  if (responseType !== 'code') throw aadsts('unsupportedResponseType', responseType ?? '');
  const scopes = parseScopes(authority.model, params.get('scope'), params.get('resource'));
  const challenge = params.get('code_challenge');
  if (challenge !== null && (params.get('code_challenge_method') ?? 'plain') !== 'S256') {
    // Entra also accepts `plain`; the fake refuses it, as the course (and OAuth 2.1) require S256.
    throw aadsts('pkceMethodNotS256');
  }
  if (challenge === null && !isConfidential(client)) throw aadsts('pkceRequired');
  const prompt = params.get('prompt');
  if (prompt !== null && !PROMPTS.includes(prompt)) throw aadsts('invalidPrompt', prompt);
  return { client, reply, params, scopes, prompt };
}

/** GET: answer at once from the sign-in session, or show the sign-in page. */
async function signInOrSkip(authority: Authority, call: Call, request: AuthorizeRequest): Promise<Response> {
  const session = sessionUser(authority, call.request);
  if (request.prompt === 'none') {
    if (!session) throw aadsts('loginRequired');
    if (permissionsToConsent(authority, request, session).length > 0) {
      throw aadsts('consentRequiredAtAuthorize', request.client);
    }
    return completeSignIn(authority, call, request, session);
  }
  const forceLogin = request.prompt === 'login' || request.prompt === 'select_account';
  if (session && !forceLogin) {
    if (permissionsToConsent(authority, request, session).length === 0) return completeSignIn(authority, call, request, session);
    return showConsent(call, request, session);
  }
  return showSignIn(authority, call, request);
}

/** POST: the sign-in page's form (`user`, optional `password`), then the consent page's (`consent`). */
async function signInForm(authority: Authority, call: Call, request: AuthorizeRequest): Promise<Response> {
  const { params } = request;
  const user = findUser(authority.model, params.get('user') ?? '');
  if (!user) return showSignIn(authority, call, request, signInPageError('accountNotFound'));
  const password = params.get('password');
  // A person types the (fake) password; checks and scripts that post `user` alone skip it.
  if (password !== null && password !== user.password) {
    return showSignIn(authority, call, request, signInPageError('wrongPassword'));
  }
  const toConsent = permissionsToConsent(authority, request, user);
  if (toConsent.length > 0) {
    const consent = params.get('consent');
    if (consent === 'no') throw aadsts('consentDeclined');
    if (consent !== 'yes') return showConsent(call, request, user);
    grantConsent(authority.model, request.client, request.scopes.resource, user.id, toConsent);
  }
  return completeSignIn(authority, call, request, user);
}

/** The requested permissions the user has not consented to yet (all of them with prompt=consent). */
function permissionsToConsent(authority: Authority, request: AuthorizeRequest, user: FakeUser): string[] {
  const { scopes } = request;
  if (scopes.isDefault) return [];
  if (request.prompt === 'consent' && request.params.get('consent') !== 'yes') return scopes.scopes;
  const granted = consentedScopes(authority.model, request.client, scopes.resource, user.id);
  return scopes.scopes.filter((scope) => !granted.has(scope));
}

function showSignIn(authority: Authority, call: Call, request: AuthorizeRequest, error?: string): Response {
  const hint = request.params.get('login_hint')?.toLowerCase();
  // The account named by login_hint comes first.
  const users = [...authority.model.users].sort(
    (a, b) => Number(b.userPrincipalName.toLowerCase() === hint) - Number(a.userPrincipalName.toLowerCase() === hint),
  );
  const html = signInPage({ appName: request.client.displayName, action: call.url.pathname, params: request.params, users, ...(error ? { error } : {}) });
  return showing(htmlResponse(html), { page: 'sign-in', ...(error ? { error } : {}) });
}

function showConsent(call: Call, request: AuthorizeRequest, user: FakeUser): Response {
  const { resource } = request.scopes;
  const params = new URLSearchParams(request.params);
  params.set('user', user.id);
  const permissions = request.scopes.scopes.map((value) => {
    const scope = resource.api.oauth2PermissionScopes.find((candidate) => candidate.value === value);
    return { value, description: scope?.userConsentDescription ?? value };
  });
  return showing(htmlResponse(consentPage({ appName: request.client.displayName, action: call.url.pathname, params, permissions })), { page: 'consent' });
}

/** Issues the code, starts (or keeps) the sign-in session, and sends the browser back to the app. */
function completeSignIn(authority: Authority, call: Call, request: AuthorizeRequest, user: FakeUser): Response {
  const { params } = request;
  const code = authority.grants.issueCode({
    clientId: request.client.appId,
    redirectUri: request.reply.redirectUri,
    userId: user.id,
    scope: params.get('scope') ?? '',
    nonce: params.get('nonce'),
    codeChallenge: params.get('code_challenge'),
    issuedAt: authority.now(),
  });
  const session = authority.grants.startSession(user.id, authority.now());
  const secure = call.origin.startsWith('https:') ? '; Secure' : '';
  const headers = { 'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=None${secure}` };
  const result = new URLSearchParams({ code });
  if (request.reply.state !== null) result.set('state', request.reply.state);
  return reply(request.reply, result, headers);
}

function sendError(authority: Authority, call: Call, to: ReplyTo, failure: EntraError): Response {
  const body = errorBody(failure, { origin: call.origin, now: authority.now(), correlationId: call.correlationId });
  const result = new URLSearchParams({ error: body.error, error_description: body.error_description, error_uri: body.error_uri });
  if (to.state !== null) result.set('state', to.state);
  return reply(to, result);
}

/** Delivers the result the way `response_mode` asks: query, fragment, or an auto-submitting form. */
function reply(to: ReplyTo, result: URLSearchParams, headers: Record<string, string> = {}): Response {
  if (to.responseMode === 'form_post') {
    const autoSubmit = htmlResponse(formPostPage(to.redirectUri, result), { headers });
    return showing(autoSubmit, { page: 'form-post', action: to.redirectUri, fields: result });
  }
  const location = new URL(to.redirectUri);
  if (to.responseMode === 'fragment') location.hash = result.toString();
  else for (const [name, value] of result) location.searchParams.append(name, value);
  return new Response(null, { status: 302, headers: { ...headers, location: location.href, 'cache-control': 'no-store' } });
}

function sessionId(request: Request): string | undefined {
  const cookies = request.headers.get('cookie') ?? '';
  return cookies.split(/;\s*/).find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
}

function sessionUser(authority: Authority, request: Request): FakeUser | undefined {
  const id = sessionId(request);
  const session = id ? authority.grants.session(id) : undefined;
  return session ? findUser(authority.model, session.userId) : undefined;
}

/** `/{tenant}/oauth2/v2.0/logout`: ends the sign-in session and returns to the app if it asked. */
export function logout(authority: Authority, call: Call): Response {
  const id = sessionId(call.request);
  if (id) authority.grants.endSession(id);
  const expired = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=None${call.origin.startsWith('https:') ? '; Secure' : ''}`;
  const back = call.url.searchParams.get('post_logout_redirect_uri');
  if (back && URL.canParse(back)) {
    const location = new URL(back);
    const state = call.url.searchParams.get('state');
    if (state !== null) location.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: location.href, 'set-cookie': expired } });
  }
  return htmlResponse(page('Signed out', '<h1>You signed out of your account</h1>\n<p>It\'s a good idea to close all browser windows.</p>'), {
    headers: { 'set-cookie': expired },
  });
}
