// A person at a browser, over real HTTP: for a tenant running in another process (`npm run tenant`, a
// hand run, `npm run interop`), where person.ts, which calls the tenant's handlers in-process, cannot
// reach. The browser follows redirects and the person fills in the tenant's forms with what a person
// knows: the account, the (published, fake) password, "Accept" on the consent page. It goes to loopback
// addresses only, and never shows a URL's query (it carries `state` and codes) in what it throws.

/** What the person types. */
export interface BrowserPersonOptions {
  /** The account: a UPN such as `megan@contoso.onmicrosoft.com` (or an object id). */
  user: string;
  /** Default: `workbook`, every fake account's password. */
  password?: string;
  /** The browser's network: global fetch by default (a process started with NODE_EXTRA_CA_CERTS trusts the local tenant). */
  fetch?: typeof fetch;
  /**
   * The app's own redirect URI, when the app catches it itself (a native app's loopback listener): the
   * browser stops at a redirect there and returns it unvisited, code and state in its query.
   */
  catchAt?: string;
}

/** Where the browser came to rest: the app's page after the last redirect. */
export interface BrowserArrival {
  url: URL;
  status: number;
}

/** The tenant showed a page the person cannot get past (an AADSTS error, a code it does not know). */
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

const MAX_HOPS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_PASSWORD = 'workbook';

/**
 * Opens `startUrl` (an MCP server's /authorize, or the tenant's own authorize URL), follows the redirects,
 * signs in on the tenant's sign-in page (consenting if asked), and follows the redirects back until a
 * page answers: the app's callback. Throws SignInPageError when the tenant shows an error page instead.
 */
export async function signInInBrowser(startUrl: string | URL, options: BrowserPersonOptions): Promise<BrowserArrival> {
  const browse = options.fetch ?? fetch;
  let url = new URL(startUrl);
  let response = await visit(browse, url);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      if (options.catchAt && where(url) === where(new URL(options.catchAt))) return { url, status: response.status };
      response = await visit(browse, url);
    } else if (response.status === 200 && isSignInPage(url)) {
      // The sign-in page's form carries the authorize request's parameters; the person adds who they are.
      const form = new URLSearchParams(url.searchParams);
      form.set('user', options.user);
      form.set('password', options.password ?? DEFAULT_PASSWORD);
      form.set('consent', 'yes'); // "Accept", should the app need consent
      const posted = new URL(url.pathname, url);
      response = await visit(browse, posted, form);
      if (response.status === 200) throw await pageError(response, 'the sign-in page did not let the person through');
    } else if (response.status >= 400) {
      throw await pageError(response, `${where(url)} answered ${response.status}`);
    } else {
      await response.body?.cancel();
      return { url, status: response.status };
    }
  }
  throw new SignInPageError(`more than ${MAX_HOPS} redirects from ${where(new URL(startUrl))}`);
}

/**
 * At the tenant's device login page (`verification_uri`): enters `userCode`, signs in and consents. The
 * client polling with the device code gets its tokens on its next poll.
 */
export async function enterDeviceCode(verificationUri: string | URL, userCode: string, options: BrowserPersonOptions): Promise<void> {
  const url = new URL(verificationUri);
  const form = new URLSearchParams({ user_code: userCode, user: options.user, password: options.password ?? DEFAULT_PASSWORD, consent: 'yes' });
  const response = await visit(options.fetch ?? fetch, url, form);
  const html = await response.text();
  // The page's title is what the person reads: "You are signed in", or the form again with its error.
  if (response.status !== 200 || pageTitle(html) !== 'You are signed in') {
    throw new SignInPageError(`the device login page did not accept the code (${response.status}, "${pageTitle(html) ?? 'no title'}")`, aadstsOf(html));
  }
}

async function visit(browse: typeof fetch, url: URL, form?: URLSearchParams): Promise<Response> {
  if (!LOOPBACK.has(url.hostname)) throw new SignInPageError(`the browser was sent off this machine, to ${url.origin}: refused`);
  return browse(url, form ? { method: 'POST', body: form, redirect: 'manual' } : { redirect: 'manual' });
}

/** Entra's authorize endpoint, whatever the tenant segment: `/{tenant}/oauth2/v2.0/authorize`. */
function isSignInPage(url: URL): boolean {
  return /^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(url.pathname);
}

/** A URL without its query and fragment: safe to show. */
function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function pageError(response: Response, what: string): Promise<SignInPageError> {
  const html = await response.text();
  const code = aadstsOf(html);
  const detail = code === undefined ? '' : `: AADSTS${code}${describe(html)}`;
  return new SignInPageError(`${what}${detail}`, code);
}

function aadstsOf(html: string): number | undefined {
  const match = /AADSTS(\d+)/.exec(html);
  return match ? Number(match[1]) : undefined;
}

/** The error page's description (Entra's words, never a request value that could hold a secret). */
function describe(html: string): string {
  const match = /AADSTS\d+<\/strong>: ([^<]*)</.exec(html);
  return match ? `: ${match[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')}` : '';
}

function pageTitle(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}
