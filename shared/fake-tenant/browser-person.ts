// A person at a browser, over real HTTP: for a tenant running in another process (a hand run, `npm run
// interop`, an end-to-end test), where person.ts, which calls the tenant's handlers in-process, cannot
// reach. The browser follows redirects, and the person fills in the tenant's forms with what a person
// knows: the account, the (published, fake) password, Accept or Cancel on the consent page, the code on
// the device login page. Like a person, it reads no more of a page than its title and any AADSTS code, so
// the HTML stays free to change. It goes to loopback addresses only, stops at an app's own redirect URI
// without opening it (a desktop client listens there), and never shows a URL's query (it carries `state`
// and codes) in a step or an error. The fake tenant only: Entra's real pages are for people.

/** What the person knows and does. */
export interface BrowserPerson {
  /** The account: a UPN such as `megan@contoso.onmicrosoft.com` (or an object id). */
  user: string;
  /** What to type in the password field. Default: `workbook`, every fake account's password. */
  password?: string;
  /** Accept the consent page if it comes (default true); false: Cancel. */
  consent?: boolean;
  /** Told about each step, in words that hold no code, state or token ("the sign-in page; ..."). */
  onStep?: (step: string) => void;
  /** The browser's network: global fetch by default (a process started with NODE_EXTRA_CA_CERTS trusts the local tenant). */
  fetch?: typeof fetch;
}

export interface BrowserSignIn extends BrowserPerson {
  /**
   * The app's own redirect URI, when the app catches it itself (a desktop client's loopback listener):
   * the browser stops at a redirect there and returns it unvisited, code and state in its query.
   */
  stopAt?: string;
}

/** Where the browser came to rest: the app's page after the last redirect, or the redirect to `stopAt`. */
export interface BrowserArrival {
  url: URL;
  status: number;
}

/** The tenant showed a page the person cannot get past (an AADSTS error, a wrong password, a used code). */
export class SignInPageError extends Error {
  override name = 'SignInPageError';
  constructor(
    message: string,
    /** The AADSTS code on the page, when it shows one. */
    readonly aadsts?: number,
  ) {
    super(message);
  }
}

const MAX_HOPS = 12;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_PASSWORD = 'workbook';
/** The titles of the tenant's pages, as a person reads them. */
const TITLE = { signIn: 'Sign in to your account', consent: 'Permissions requested', signedIn: 'You are signed in', cancelled: 'Sign-in cancelled' };

/**
 * Opens `startUrl` (an MCP server's /authorize, or the tenant's own authorize URL), follows the redirects,
 * signs in on the tenant's sign-in page, accepts (or cancels) the consent page if it comes, and follows the
 * redirects back until a page answers (the app's callback) or the browser is sent to `stopAt`.
 * Throws SignInPageError when the tenant shows a page the person cannot get past.
 */
export async function signInInBrowser(startUrl: string | URL, options: BrowserSignIn): Promise<BrowserArrival> {
  const browse = options.fetch ?? fetch;
  const step = (text: string) => options.onStep?.(text);
  const stopAt = options.stopAt === undefined ? undefined : where(new URL(options.stopAt));
  let url = new URL(startUrl);
  let response = await visit(browse, url);
  // What the person has posted so far: the authorize request's parameters, then who they are, then consent.
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const to = new URL(location, url);
      step(`${where(url)} sent the browser on to ${where(to)}`);
      url = to;
      if (where(url) === stopAt) return { url, status: response.status };
      response = await visit(browse, url);
      continue;
    }
    if (response.status >= 400) throw pageError(await response.text(), `${where(url)} answered ${response.status}`);
    if (!isAuthorizeEndpoint(url)) {
      await response.body?.cancel();
      return { url, status: response.status };
    }
    const html = await response.text();
    const title = pageTitle(html);
    if (title === TITLE.signIn && !form) {
      // The sign-in page's form carries the authorize request's parameters; the person adds who they are.
      form = new URLSearchParams(url.searchParams);
      form.set('user', options.user);
      form.set('password', options.password ?? DEFAULT_PASSWORD);
      step(`${where(url)}: the sign-in page; picked ${options.user}, typed the password`);
    } else if (title === TITLE.consent && form && !form.has('consent')) {
      const accept = options.consent ?? true;
      form.set('consent', accept ? 'yes' : 'no');
      step(`${where(url)}: the consent page; ${accept ? 'Accept' : 'Cancel'}`);
    } else {
      throw pageError(html, `${where(url)} showed "${title ?? 'a page without a title'}": the person could not get past it`);
    }
    url = new URL(url.pathname, url);
    response = await visit(browse, url, form);
  }
  throw new SignInPageError(`the browser was still being redirected after ${MAX_HOPS} steps from ${where(new URL(startUrl))}`);
}

/**
 * At the tenant's device login page (`verification_uri`): enters `userCode`, signs in, and accepts (or
 * cancels) the consent. The client polling with the device code gets its tokens on its next poll.
 */
export async function enterDeviceCode(verificationUri: string | URL, userCode: string, options: BrowserPerson): Promise<void> {
  const url = new URL(verificationUri);
  const accept = options.consent ?? true;
  const form = new URLSearchParams({ user_code: userCode, user: options.user, password: options.password ?? DEFAULT_PASSWORD, consent: accept ? 'yes' : 'no' });
  const response = await visit(options.fetch ?? fetch, url, form);
  const html = await response.text();
  // The page's title is what the person reads: "You are signed in", or the form again with its error.
  const title = pageTitle(html);
  const ended = title === TITLE.signedIn || (!accept && title === TITLE.cancelled);
  if (response.status !== 200 || !ended) {
    throw pageError(html, `the device login page did not accept the code (${response.status}, "${title ?? 'no title'}")`);
  }
  options.onStep?.(`${where(url)}: the device login page; entered the code, ${options.user}: ${title}`);
}

async function visit(browse: typeof fetch, url: URL, form?: URLSearchParams): Promise<Response> {
  if (!LOOPBACK.has(url.hostname)) throw new SignInPageError(`the browser was sent off this machine, to ${url.origin}: refused`);
  return browse(url, form ? { method: 'POST', body: form, redirect: 'manual' } : { redirect: 'manual' });
}

/** Entra's authorize endpoint, whatever the tenant segment: `/{tenant}/oauth2/v2.0/authorize`. */
function isAuthorizeEndpoint(url: URL): boolean {
  return /^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(url.pathname);
}

/** A URL without its query and fragment: safe to show. */
function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function pageError(html: string, what: string): SignInPageError {
  return new SignInPageError(`${what}${said(html)}`, aadstsOf(html));
}

/** The AADSTS code and Entra's words on an error page or a form's alert (never a request value, which could hold a secret). */
function said(html: string): string {
  const match = /AADSTS(\d+)(?:<\/strong>)?:\s*([^<]*)</.exec(html);
  return match ? `: AADSTS${match[1]}: ${unescape(match[2]!.trim())}` : '';
}

function aadstsOf(html: string): number | undefined {
  const match = /AADSTS(\d+)/.exec(html);
  return match ? Number(match[1]) : undefined;
}

function pageTitle(html: string): string | undefined {
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  return title === undefined ? undefined : unescape(title);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);
