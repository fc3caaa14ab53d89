// A Microsoft Graph client that acts for an administrator: msal-node signs the admin in with the device
// code flow (the prompt goes to stderr, so stdout stays for results), and the Graph client spends the
// token. The Graph client retries 429, 503 and 504 on its own, honouring Retry-After.
import { PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import type { Settings } from '#shared/settings.ts';

/** The delegated permission that lets a signed-in admin create and change app registrations. */
export const APPLICATION_READ_WRITE_ALL = 'https://graph.microsoft.com/Application.ReadWrite.All';

export interface AdminSignInOptions {
  settings: Pick<Settings, 'authority' | 'authorityHost'>;
  clientId: string;
  /** What to do with the device code; default: print Entra's instructions on stderr. */
  onDeviceCode?: DeviceCodeRequest['deviceCodeCallback'];
}

/** A token provider for the Graph client: silent once signed in, device code the first time. */
export function adminTokenProvider({ settings, clientId, onDeviceCode }: AdminSignInOptions): () => Promise<string> {
  const msal = new PublicClientApplication({
    auth: {
      clientId,
      authority: settings.authority,
      // Any sign-in host but Microsoft's own (the local fake tenant in a hand run) must be named as trusted.
      knownAuthorities: [new URL(settings.authorityHost).host],
    },
  });
  const scopes = [APPLICATION_READ_WRITE_ALL];
  return async () => {
    const [account] = await msal.getAllAccounts();
    const silent = account ? await msal.acquireTokenSilent({ account, scopes }).catch(() => null) : null;
    if (silent) return silent.accessToken;
    const result = await msal.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: onDeviceCode ?? ((response) => console.error(response.message)),
    });
    if (!result) throw new Error('The device code sign-in returned no token.');
    return result.accessToken;
  };
}

export function graphClient(getAccessToken: () => Promise<string>): Client {
  return Client.initWithMiddleware({ authProvider: { getAccessToken } });
}
