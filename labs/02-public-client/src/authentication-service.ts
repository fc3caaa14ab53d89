// Signs the user in with an MSAL public client: silently from the token cache when it can, with the
// device code flow when it must. A public client has no secret: it runs on the user's machine, where
// anything it holds can be read. What proves the sign-in is the person entering the code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type DeviceCodeRequest,
} from '@azure/msal-node';
import type { Settings } from '#shared/settings.ts';
import { fileCachePlugin } from './token-cache.ts';
import { todo } from '#shared/workbook/todo.ts';

type DeviceCodeCallback = DeviceCodeRequest['deviceCodeCallback'];

/** Read the signed-in user's profile: the one delegated permission this server needs. */
export const GRAPH_SCOPES = ['User.Read'];

export interface AuthenticationOptions {
  settings: Pick<Settings, 'localClientId' | 'authority' | 'authorityHost'>;
  /** The folder of the encrypted cache file (see cache-key.ts). */
  cacheDir: string;
  cacheKey: Buffer;
  /** What to do with the device code. Default: Entra's instructions on stderr (stdout is JSON-RPC). */
  onDeviceCode?: DeviceCodeCallback;
}

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export class AuthenticationService {
  private constructor(
    private readonly msal: PublicClientApplication,
    private readonly onDeviceCode: DeviceCodeCallback,
  ) {}

  static create({ settings, cacheDir, cacheKey, onDeviceCode }: AuthenticationOptions): AuthenticationService {
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
    return new AuthenticationService(msal, onDeviceCode ?? ((response) => console.error(response.message)));
  }

  /** An access token for Microsoft Graph, for the signed-in user. */
  async acquireToken(): Promise<string> {
    // TODO(02.2): Silent first: for the cached account, acquireTokenSilent (msal refreshes an expired token
    // itself). Only when there is no account, or msal says InteractionRequiredAuthError, sign in with the
    // device code flow. Any other error: throw an AuthenticationError that says what to do.
    throw todo('02.2');
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
