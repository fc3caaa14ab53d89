// The fake Entra ID tenant: one object holding the directory, the signing keys, the authority's
// grants, the faults a check injected and the request log. `handle` serves any Entra or Graph URL,
// fetch-style, so msw (checks), a loopback bridge (child processes) and the standalone HTTPS server
// all put the same tenant behind the real URLs.
import { createDefaultModel } from './default-tenant.ts';
import { findUser } from './directory.ts';
import type { Authority, AuthoritySettings } from './entra/context.ts';
import { approveDevice, pendingDevice } from './entra/device.ts';
import { authorityEndpoint, handleAuthority } from './entra/routes.ts';
import { Faults } from './faults.ts';
import { GrantStore } from './grants/store.ts';
import { createGraphHandler } from './graph/routes.ts';
import { SigningKeys } from './keys.ts';
import type { TenantModel } from './model.ts';
import { redactedPath, RequestLog } from './request-log.ts';

const GRAPH_HOST = 'graph.microsoft.com';

export interface FakeTenantOptions {
  /** Default: a fresh copy of the built-in Contoso tenant. */
  model?: TenantModel;
  /** The tenant's clock in epoch ms. Default `Date.now()`, so `vi.useFakeTimers({ toFake: ['Date'] })` ages tokens. */
  now?: () => number;
  /** Default true: each refresh token works once (see AuthoritySettings). */
  rotateRefreshTokens?: boolean;
  /** Default 5, as Entra. A check may lower it so a device-code poll loop runs fast. */
  deviceCodeIntervalSeconds?: number;
}

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

export class FakeTenant {
  readonly log = new RequestLog();
  readonly faults: Faults;
  private readonly grants = new GrantStore();
  private readonly authority: Authority;
  private readonly graph: (request: Request) => Promise<Response>;
  private readonly initialModel: TenantModel;

  private constructor(
    readonly model: TenantModel,
    readonly keys: SigningKeys,
    readonly now: () => number,
    settings: AuthoritySettings,
  ) {
    this.initialModel = structuredClone(model);
    this.faults = new Faults({
      rotateKeys: (options) => keys.rotate(options),
      revokeRefreshTokens: (userOidOrUpn) => this.grants.revokeUser(this.user(userOidOrUpn).id),
    });
    this.authority = { model, keys, now, grants: this.grants, faults: this.faults, settings };
    this.graph = createGraphHandler({
      model,
      now,
      takeGraphThrottle: () => this.faults.takeGraphThrottle(),
      verifyToken: (jwt) => keys.verify(jwt, { currentDate: new Date(now()) }),
    });
  }

  static async create(options: FakeTenantOptions = {}): Promise<FakeTenant> {
    return new FakeTenant(options.model ?? createDefaultModel(), await SigningKeys.create(), options.now ?? (() => Date.now()), {
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
    });
  }

  /** Serves one request for Entra (any host but Graph's) or Microsoft Graph, and logs it. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const isGraph = url.hostname === GRAPH_HOST;
    const endpoint = isGraph ? `graph:${url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '')}` : authorityEndpoint(url);
    const grantType = endpoint === 'token' ? await grantTypeOf(request) : undefined;
    const response = await (isGraph ? this.graph(request) : handleAuthority(this.authority, request)).catch((error: unknown) => {
      // A bug in the fake, not an answer Entra would give: say so plainly instead of letting msw guess.
      console.error(`fake tenant: ${request.method} ${url.origin}${url.pathname} failed:`, error);
      return Response.json({ error: 'server_error', error_description: 'The fake tenant failed to handle this request.' }, { status: 500 });
    });
    this.log.record({
      method: request.method,
      host: url.host,
      path: redactedPath(url),
      endpoint,
      ...(grantType ? { grantType } : {}),
      status: response.status,
      at: this.now(),
    });
    return response;
  }

  /**
   * What a person does in the browser: opens the authorize URL, picks `user` (and consents with
   * `{ consent: true }`). Posts the sign-in form through `handle`, so it takes the same path as a
   * browser, and returns the URL the browser is sent to: the redirect URI with `code` and `state`
   * (or `error`). Throws when the tenant answers with a page instead (bad client or redirect URI,
   * consent needed).
   */
  async signIn(authorizeUrl: string, userOidOrUpn: string, options: SignInOptions = {}): Promise<URL> {
    const url = new URL(authorizeUrl);
    const form = new URLSearchParams(url.searchParams);
    form.set('user', this.user(userOidOrUpn).id);
    if (options.consent) form.set('consent', 'yes');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (options.cookie) headers.cookie = options.cookie;
    const response = await this.handle(new Request(url.origin + url.pathname, { method: 'POST', headers, body: form }));
    const location = response.headers.get('location');
    if (response.status === 302 && location) return new URL(location);
    const html = await response.text();
    const formPost = /<form method="post" action="([^"]+)">/.exec(html);
    if (response.status === 200 && html.includes('document.forms[0].submit()') && formPost) {
      // response_mode=form_post: the fields the page would post, as a URL for the caller to read.
      const target = new URL(unescapeHtml(formPost[1]!));
      for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
        target.searchParams.set(unescapeHtml(name!), unescapeHtml(value!));
      }
      return target;
    }
    if (html.includes('name="consent"')) {
      throw new Error('signIn: the app needs the user\'s consent for these permissions; pass { consent: true } to accept it.');
    }
    const reason = /<strong>(AADSTS\d+)<\/strong>: ([^<]*)/.exec(html);
    throw new Error(`signIn: the tenant answered ${response.status} with a page instead of a redirect${reason ? `: ${reason[1]}: ${unescapeHtml(reason[2]!)}` : ''}`);
  }

  /** The person enters the user code at /devicelogin and signs in as `user`: the next poll gets tokens. */
  approveDeviceCode(userCode: string, userOidOrUpn: string): void {
    approveDevice(this.authority, userCode, this.user(userOidOrUpn).id);
  }

  /** The person cancels: the next poll gets `authorization_declined`. */
  declineDeviceCode(userCode: string): void {
    pendingDevice(this.authority, userCode).status = 'declined';
  }

  /** Device codes waiting for a person (never the device_code itself, which is the client's secret). */
  pendingDeviceCodes(): PendingDeviceCode[] {
    return [...this.grants.deviceCodes.values()]
      .filter((device) => device.status === 'pending' && device.expiresAt >= this.now())
      .map(({ userCode, clientId, scope, expiresAt }) => ({ userCode, clientId, scope, expiresAt }));
  }

  /** Back to the start: the model as created, no codes, tokens, sessions, faults or log entries. */
  reset(): void {
    for (const key of Object.keys(this.model) as Array<keyof TenantModel>) {
      (this.model as unknown as Record<string, unknown>)[key] = structuredClone(this.initialModel[key]);
    }
    this.grants.clear();
    this.faults.reset();
    this.log.clear();
  }

  private user(oidOrUpn: string) {
    const user = findUser(this.model, oidOrUpn);
    if (!user) throw new Error(`The fake tenant has no user '${oidOrUpn}' (users: ${this.model.users.map((u) => u.userPrincipalName).join(', ')}).`);
    return user;
  }
}

async function grantTypeOf(request: Request): Promise<string | undefined> {
  if (request.method !== 'POST') return undefined;
  return new URLSearchParams(await request.clone().text()).get('grant_type') ?? undefined;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}
