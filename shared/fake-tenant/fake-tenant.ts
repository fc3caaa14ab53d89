// The fake Entra ID tenant: one object holding the directory, the signing keys, the authority's
// grants, the faults a check injected and the request log. `handle` serves any Entra or Graph URL,
// fetch-style, so msw (checks), a loopback bridge (child processes) and the standalone HTTPS server
// all put the same tenant behind the real URLs.
import { createDefaultModel } from './default-tenant.ts';
import { findUser } from './directory.ts';
import type { Authority, AuthoritySettings } from './entra/context.ts';
import { authorityEndpoint, handleAuthority } from './entra/routes.ts';
import { Faults } from './faults.ts';
import { GrantStore } from './grants/store.ts';
import { createGraphHandler } from './graph/routes.ts';
import { SigningKeys } from './keys.ts';
import type { TenantModel } from './model.ts';
import { Person, type PendingDeviceCode, type SignInOptions } from './person.ts';
import { redactedPath, RequestLog } from './request-log.ts';
import { restoreState, stateToSave, type SavedTenantState } from './saved-state.ts';

const GRAPH_HOST = 'graph.microsoft.com';

export interface FakeTenantOptions {
  /** Default: a fresh copy of the built-in Contoso tenant. */
  model?: TenantModel;
  /** The tenant's clock in epoch ms. Default `Date.now()`, so `vi.useFakeTimers({ toFake: ['Date'] })` ages tokens. */
  now?: () => number;
  /** Default true: each refresh token works once (see AuthoritySettings). */
  rotateRefreshTokens?: boolean;
  /**
   * Default 5, as Entra. A check may lower it so a device-code poll loop runs fast, to a fraction of a
   * second too (msal-node waits `interval * 1000` ms between polls).
   */
  deviceCodeIntervalSeconds?: number;
  /**
   * Test-only speed, default false: sign with keys that earlier tenants of this process used and gave
   * back on `close()`, or that an earlier run kept, instead of generating a key pair (keys.ts). Each
   * tenant's own behaviour is the same: no two open tenants share a key, and a rotation brings a key this
   * tenant never had.
   */
  reuseSigningKeys?: boolean;
  /** A hand run's tenant: the keys, grants, sessions and consents an earlier run saved (saved-state.ts). */
  savedState?: SavedTenantState;
}

export class FakeTenant {
  readonly log = new RequestLog();
  readonly faults: Faults;
  /** The person at a browser who signs in (person.ts), for checks. */
  private readonly person: Person;
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
    this.person = new Person({ handle: (request) => this.handle(request), authority: this.authority, user: (oidOrUpn) => this.user(oidOrUpn) });
  }

  static async create(options: FakeTenantOptions = {}): Promise<FakeTenant> {
    const saved = options.savedState;
    const keys = saved ? await SigningKeys.restore(saved.keys) : await SigningKeys.create({ reuse: options.reuseSigningKeys ?? false });
    const tenant = new FakeTenant(options.model ?? createDefaultModel(), keys, options.now ?? (() => Date.now()), {
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
    });
    if (saved) restoreState(saved, { grants: tenant.grants, model: tenant.model });
    return tenant;
  }

  /** What a hand run's tenant keeps for its next run: keys, grants and sessions by hash, consents (saved-state.ts). */
  async savedState(): Promise<SavedTenantState> {
    const keys = await this.keys.exportPrivate();
    return stateToSave({ keys, grants: this.grants, model: this.model, initialConsents: this.initialModel.consents, now: this.now() });
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

  // What a person does in the browser, for checks (`tenant().signIn(...)`): the person is person.ts.

  signIn(authorizeUrl: string, userOidOrUpn: string, options: SignInOptions = {}): Promise<URL> {
    return this.person.signIn(authorizeUrl, userOidOrUpn, options);
  }

  enterDeviceCode(verificationUri: string, userCode: string, userOidOrUpn: string, options: SignInOptions = {}): Promise<void> {
    return this.person.enterDeviceCode(verificationUri, userCode, userOidOrUpn, options);
  }

  approveDeviceCode(userCode: string, userOidOrUpn: string): void {
    this.person.approveDeviceCode(userCode, userOidOrUpn);
  }

  declineDeviceCode(userCode: string): void {
    this.person.declineDeviceCode(userCode);
  }

  pendingDeviceCodes(): PendingDeviceCode[] {
    return this.person.pendingDeviceCodes();
  }

  /** Every device_code handed out since the last reset, redeemed or not: the clients' secret, for checks that prove it is never shown. */
  issuedDeviceCodes(): string[] {
    return [...this.grants.deviceCodesIssued];
  }

  /** The tenant is done: borrowed signing keys go back for the next tenant (reuseSigningKeys). */
  close(): void {
    this.keys.release();
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
