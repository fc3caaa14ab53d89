// Signs the user in with an MSAL public client: silently from the token cache when it can; when only
// the person can help, with a sign-in that goes on in the background (sign-in.ts) while the tool answers
// at once with what they must do. A public client has no secret: it runs on the user's machine, where
// anything it holds can be read. What proves the sign-in is the person, in their browser.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-node';
import type { Settings } from '#shared/settings.ts';
import { browserSignIn, deviceCodeSignIn, SignInRequiredError, type SignIn, type SignInMethod, type SignInPrompt } from './sign-in.ts';
import { openSystemBrowser } from './system-browser.ts';
import { fileCachePlugin } from './token-cache.ts';
import { todo } from '#shared/workbook/todo.ts';

/** Read the signed-in user's profile: the one delegated permission this server needs. */
export const GRAPH_SCOPES = ['User.Read'];

export interface AuthenticationOptions {
  settings: Pick<Settings, 'localClientId' | 'authority' | 'authorityHost'>;
  /** The folder of the encrypted cache file (see cache-key.ts). */
  cacheDir: string;
  cacheKey: Buffer;
  /** How the person signs in when the cache cannot do it (system-browser.ts chooses). Default: device code. */
  signInMethod?: SignInMethod;
  /** Opens a page in the person's browser (the browser method). Default: the system browser. */
  openBrowser?: (url: string) => Promise<void>;
  /** The server's log. Default: stderr (stdout is JSON-RPC). */
  log?: (message: string) => void;
  /** Called when a sign-in ends with the person signed in (a client waiting for it may be told). */
  onSignedIn?: (prompt: SignInPrompt) => void;
}

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export class AuthenticationService {
  /** The one sign-in under way, if any: every call while it lasts gets its prompt. */
  private pending: SignIn | undefined;

  private constructor(
    private readonly msal: PublicClientApplication,
    private readonly startSignIn: () => SignIn,
  ) {}

  static create({ settings, cacheDir, cacheKey, signInMethod = 'device-code', openBrowser = openSystemBrowser, log = (message) => console.error(message), onSignedIn }: AuthenticationOptions): AuthenticationService {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const msal = new PublicClientApplication({
      auth: {
        clientId: settings.localClientId,
        authority: settings.authority,
        // Any sign-in host but Microsoft's own (the local fake tenant in a hand run) must be named as trusted.
        knownAuthorities: [new URL(settings.authorityHost).host],
      },
      cache: { cachePlugin: fileCachePlugin({ path: join(cacheDir, 'token-cache.bin'), key: cacheKey }) },
    });
    const start = () => {
      const signIn = signInMethod === 'browser' ? browserSignIn(msal, GRAPH_SCOPES, openBrowser) : deviceCodeSignIn(msal, GRAPH_SCOPES);
      // The server's log tells how each sign-in goes: what the person must do, then how it ended.
      signIn.prompt.then(
        (prompt) => {
          log(prompt.message);
          signIn.done.then(
            () => {
              log('Signed in: the tokens are in the encrypted cache.');
              onSignedIn?.(prompt);
            },
            (error: unknown) => log(`The sign-in ended without signing in: ${explain(error).message}`),
          );
        },
        () => {}, // it failed before asking anything: the call that started it says why
      );
      return signIn;
    };
    return new AuthenticationService(msal, start);
  }

  /**
   * An access token for Microsoft Graph, for the signed-in user. When only the person can help, it never
   * waits for them: it throws a SignInRequiredError that says what they must do, and the sign-in goes on.
   */
  async acquireToken(): Promise<string> {
    // TODO(02.2): Silent first: for the cached account, acquireTokenSilent (msal refreshes an expired token
    // itself). Only when there is no account, or msal says InteractionRequiredAuthError, the person must
    // sign in: throw new SignInRequiredError(await this.signIn()), at once. Any other error: throw an
    // AuthenticationError that says what to do (explain(error)).
    throw todo('02.2');
  }

  /** The prompt of the sign-in under way, or of a new one: as soon as Entra gives it, never later. */
  private async signIn(): Promise<SignInPrompt> {
    // TODO(02.2): One sign-in at a time. If the one under way has expired, cancel it and forget it. If
    // none is under way, start one (this.startSignIn()), keep it in this.pending, and forget it when it
    // ends, whether it signed the person in or failed. Return the pending sign-in's prompt; if it fails,
    // throw explain(error).
    throw todo('02.2');
  }

  /** Stops the sign-in under way, if any (the server is closing): msal stops waiting for the person. */
  close(): void {
    this.pending?.cancel();
    this.pending = undefined;
  }

  /** Forgets the signed-in account (a token Graph refused): the next call signs in again. */
  async signOut(): Promise<void> {
    const cache = this.msal.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
  }
}

/** msal's error code and Entra's message are safe to show; a token never appears in them. */
function explain(error: unknown): Error {
  if (error instanceof AuthenticationError) return error;
  const code = (error as { errorCode?: string }).errorCode;
  const detail = error instanceof Error ? error.message : String(error);
  const failure = new AuthenticationError(`Signing in to Microsoft Entra ID failed (${code ?? 'error'}): ${detail.split('\n')[0]} Try again; if it keeps failing, check LOCAL_CLIENT_ID and ENTRA_TENANT_ID.`);
  failure.cause = error; // keeps a TODO from the cache plugin visible to the checks
  return failure;
}
