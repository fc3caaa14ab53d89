// A person at a browser, scripted: signs in on the fake tenant's pages from another process, over
// HTTP, the way a person's browser does. (A check in the tenant's own process uses person.ts, which
// drives the tenant's handler directly.) It opens a URL (an MCP server's /authorize, say), follows the
// redirects to the tenant's sign-in page, reads the page's form as a browser shows it (its action, its
// hidden fields, a button per account), types the password and picks the account, accepts the consent
// page if one comes, and follows the redirects back until the URL the app's client waits for, which it
// returns without opening (a desktop MCP client would be listening there). Each sign-in is a fresh
// private window: cookies live for that sign-in only.
// Used by the hand-run scripts of labs 03 and 04; anything that must sign a person in without a browser
// (a BROWSER command for the MCP Inspector, say) can use it as well. The fake tenant only: Entra's real
// pages are for people.

export interface ScriptedSignIn {
  /** The account to pick: its sign-in name (UPN), e.g. megan@contoso.onmicrosoft.com. */
  user: string;
  /** What to type in the password field (the fake tenant's published one, `workbook`, by default). */
  password?: string;
  /** Where the browser stops: the client's redirect URI (the URL starts with it). */
  stopAt: string;
  /** Accept the consent page if it comes (default true); false: cancel it. */
  consent?: boolean;
  /** Told about each step, in words that hold no code, state or token ("sign-in page: picked ..."). */
  onStep?: (step: string) => void;
  /** The fetch to use (default: the global one, which trusts NODE_EXTRA_CA_CERTS). */
  fetch?: typeof fetch;
}

/** What a sign-in that did not end at the client's redirect URI ran into. */
export class ScriptedSignInError extends Error {
  override name = 'ScriptedSignInError';
}

const MAX_STEPS = 20;

/** Signs `user` in, starting at `url`: the URL the browser is finally sent to (the redirect URI, with its code). */
export async function signInWithBrowser(url: string | URL, options: ScriptedSignIn): Promise<URL> {
  const fetchFn = options.fetch ?? fetch;
  const cookies = new CookieJar();
  const step = (text: string) => options.onStep?.(text);
  let next: { url: URL; init?: RequestInit } = { url: new URL(url) };
  for (let hop = 0; hop < MAX_STEPS; hop += 1) {
    if (next.url.href.startsWith(options.stopAt)) return next.url;
    const response = await fetchFn(next.url, { ...next.init, redirect: 'manual', headers: { ...cookies.header(next.url), ...next.init?.headers } });
    cookies.keep(next.url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const to = new URL(location, next.url);
      step(`${where(next.url)} sent the browser on to ${where(to)}`);
      next = { url: to };
      continue;
    }
    const html = await response.text();
    const form = readForm(html, next.url);
    if (form?.buttons.some((button) => button.name === 'user')) {
      const account = form.buttons.find((button) => button.name === 'user' && button.label.toLowerCase().includes(options.user.toLowerCase()));
      if (!account) throw new ScriptedSignInError(`the sign-in page offers no account ${options.user} (it offers: ${form.buttons.map((b) => b.label).join(', ')})`);
      const alert = pageAlert(html);
      if (alert) throw new ScriptedSignInError(`the sign-in page says: ${alert}`);
      step(`${where(next.url)}: the sign-in page; picked ${account.label}, typed the password`);
      next = submit(form, { password: options.password ?? 'workbook', user: account.value });
      continue;
    }
    if (form?.buttons.some((button) => button.name === 'consent')) {
      const accept = options.consent ?? true;
      step(`${where(next.url)}: the consent page; ${accept ? 'Accept' : 'Cancel'}`);
      next = submit(form, { consent: accept ? 'yes' : 'no' });
      continue;
    }
    throw new ScriptedSignInError(`${where(next.url)} answered ${response.status} with ${describePage(html)}, not a sign-in page or a redirect`);
  }
  throw new ScriptedSignInError(`the browser was still being redirected after ${MAX_STEPS} steps`);
}

/** A URL without its query: the query of a sign-in carries state and codes, which never go in a log. */
const where = (url: URL) => `${url.origin}${url.pathname}`;

interface Form {
  action: URL;
  fields: URLSearchParams;
  buttons: Array<{ name: string; value: string; label: string }>;
}

/** The page's form, read the way a browser renders it: the action, the hidden fields and the buttons. */
function readForm(html: string, page: URL): Form | undefined {
  const action = /<form method="post" action="([^"]*)"/i.exec(html)?.[1];
  if (action === undefined) return undefined;
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/gi)) fields.append(unescape(name!), unescape(value!));
  const buttons = [...html.matchAll(/<button type="submit" name="([^"]*)" value="([^"]*)">([\s\S]*?)<\/button>/gi)].map(([, name, value, label]) => ({
    name: unescape(name!),
    value: unescape(value!),
    label: unescape(label!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()),
  }));
  return { action: new URL(unescape(action), page), fields, buttons };
}

/** The form posted with these fields set, as a click on a button does. */
function submit(form: Form, values: Record<string, string>): { url: URL; init: RequestInit } {
  const body = new URLSearchParams(form.fields);
  for (const [name, value] of Object.entries(values)) body.set(name, value);
  return { url: form.action, init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() } };
}

function pageAlert(html: string): string | undefined {
  const text = /role="alert">([\s\S]*?)<\/p>/.exec(html)?.[1];
  return text === undefined ? undefined : unescape(text.replace(/<[^>]+>/g, ''));
}

/** An error page (Entra's, with its AADSTS code) or anything else, in a few words. */
function describePage(html: string): string {
  const aadsts = /AADSTS(\d+)<\/strong>:\s*([^<]*)/.exec(html);
  if (aadsts) return `Entra's error page: AADSTS${aadsts[1]}: ${unescape(aadsts[2]!.trim())}`;
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? `"${text.slice(0, 160)}"` : 'an empty page';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);

/** The browser's cookies for this one sign-in: name=value per host, as the pages set them. */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  keep(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const jar = this.byHost.get(url.host) ?? new Map<string, string>();
      const [name, value] = [pair.slice(0, equals).trim(), pair.slice(equals + 1).trim()];
      if (/;\s*max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
      this.byHost.set(url.host, jar);
    }
  }

  header(url: URL): Record<string, string> {
    const jar = this.byHost.get(url.host);
    return jar?.size ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }
}
