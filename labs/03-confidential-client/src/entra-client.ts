// The server's own identity towards Entra ID: a confidential client, which proves itself with its secret.
// One instance serves every user; MSAL's token cache keeps each user's tokens apart, by account.
import { ConfidentialClientApplication, type ICachePlugin } from '@azure/msal-node';
import type { Settings } from '#shared/settings.ts';

/** What the server asks Entra for on the user's behalf: Graph's profile permission (MSAL adds openid, profile, offline_access). */
export const GRAPH_SCOPES = ['User.Read'];

/** `cachePlugin` keeps MSAL's token cache somewhere lasting (lab 04); without one it lives in memory. */
export function entraClient(settings: Pick<Settings, 'authority' | 'authorityHost' | 'server'>, cachePlugin?: ICachePlugin): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.server.clientId,
      clientSecret: settings.server.clientSecret,
      authority: settings.authority,
      // login.microsoftonline.com is known to MSAL already; the local fake tenant of a hand run is not.
      knownAuthorities: [new URL(settings.authorityHost).host],
    },
    ...(cachePlugin ? { cache: { cachePlugin } } : {}),
  });
}
