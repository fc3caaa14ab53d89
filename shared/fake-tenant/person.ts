// The person a check plays: someone at a browser who signs in, consents, or enters a device code.
// A sign-in takes the browser's path through the tenant (`handle`, so the request log and the faults
// see it), and reads what the answer asks of the person from the page's data (`pageShown`), never from
// its HTML: the pages are free to change for the people who read them.
import type { Authority } from './entra/context.ts';
import { approveDevice, pendingDevice } from './entra/device.ts';
import { pageShown } from './entra/pages.ts';
import type { FakeUser } from './model.ts';

export interface SignInOptions {
  /** Accept the consent page if the app needs consent (default: fail, naming the missing consent). */
  consent?: boolean;
  /** A `Cookie` header, e.g. from an earlier sign-in's session, to test single sign-on. */
  cookie?: string;
}

export interface PendingDeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: number;
}

/** What the person needs of the tenant: its front door, the authority's state, and its users. */
export interface PersonsTenant {
  handle(request: Request): Promise<Response>;
  authority: Authority;
  /** The user with this object id or UPN; throws, naming the tenant's users, when there is none. */
  user(oidOrUpn: string): FakeUser;
}

export class Person {
  constructor(private readonly tenant: PersonsTenant) {}

  /**
   * Opens the authorize URL, picks `user` (and consents with `{ consent: true }`). Posts the sign-in
   * form through `handle`, as a browser does, and returns the URL the browser is sent to: the redirect
   * URI with `code` and `state` (or `error`). Throws when the tenant answers with a page instead (bad
   * client or redirect URI, consent needed).
   */
  async signIn(authorizeUrl: string, userOidOrUpn: string, options: SignInOptions = {}): Promise<URL> {
    const url = new URL(authorizeUrl);
    const form = new URLSearchParams(url.searchParams);
    form.set('user', this.tenant.user(userOidOrUpn).id);
    if (options.consent) form.set('consent', 'yes');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (options.cookie) headers.cookie = options.cookie;
    const response = await this.tenant.handle(new Request(url.origin + url.pathname, { method: 'POST', headers, body: form }));
    const location = response.headers.get('location');
    if (response.status === 302 && location) return new URL(location);
    const shown = pageShown(response);
    if (response.status === 200 && shown?.page === 'form-post') {
      // response_mode=form_post: the fields the page would post, as a URL for the caller to read.
      const target = new URL(shown.action);
      for (const [name, value] of shown.fields) target.searchParams.set(name, value);
      return target;
    }
    if (shown?.page === 'consent') {
      throw new Error('signIn: the app needs the user\'s consent for these permissions; pass { consent: true } to accept it.');
    }
    const reason = shown?.page === 'error' ? `: AADSTS${shown.code}: ${shown.description}` : '';
    throw new Error(`signIn: the tenant answered ${response.status} with a page instead of a redirect${reason}`);
  }

  /**
   * Opens the device login page the client named (`verificationUri`), enters `userCode` and signs in as
   * `user` (consenting with `{ consent: true }`): the page's forms, posted through `handle` as a browser
   * posts them. The client's next poll gets tokens. Throws, with what the page said, when it does not
   * end signed in (a wrong or expired code, consent needed).
   */
  async enterDeviceCode(verificationUri: string, userCode: string, userOidOrUpn: string, options: SignInOptions = {}): Promise<void> {
    const form = new URLSearchParams({ user_code: userCode, user: this.tenant.user(userOidOrUpn).id });
    if (options.consent) form.set('consent', 'yes');
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const response = await this.tenant.handle(new Request(verificationUri, { method: 'POST', headers, body: form }));
    const shown = pageShown(response);
    if (shown?.page === 'signed-in') return;
    if (shown?.page === 'consent') throw new Error('enterDeviceCode: the app needs the user\'s consent for these permissions; pass { consent: true } to accept it.');
    const said = shown && 'error' in shown && shown.error ? `: ${shown.error}` : '';
    throw new Error(`enterDeviceCode: the device login page at ${verificationUri} answered ${response.status} with the ${shown?.page ?? 'unknown'} page${said}`);
  }

  /** Enters the user code at /devicelogin and signs in as `user`: the client's next poll gets tokens. */
  approveDeviceCode(userCode: string, userOidOrUpn: string): void {
    approveDevice(this.tenant.authority, userCode, this.tenant.user(userOidOrUpn).id);
  }

  /** Cancels at /devicelogin: the client's next poll gets `authorization_declined`. */
  declineDeviceCode(userCode: string): void {
    pendingDevice(this.tenant.authority, userCode).status = 'declined';
  }

  /** Device codes waiting for a person (never the device_code itself, which is the client's secret). */
  pendingDeviceCodes(): PendingDeviceCode[] {
    const { authority } = this.tenant;
    return [...authority.grants.deviceCodes.values()]
      .filter((device) => device.status === 'pending' && device.expiresAt >= authority.now())
      .map(({ userCode, clientId, scope, expiresAt }) => ({ userCode, clientId, scope, expiresAt }));
  }
}
