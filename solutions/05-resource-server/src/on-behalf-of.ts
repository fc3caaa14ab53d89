// On-behalf-of: the server trades the user's token for its API (the one the MCP client sent) for a
// Microsoft Graph token for the same user. The client's token is never sent on: it was issued for this
// server, and passing it to Graph would make the server a confused deputy (and Graph refuses it anyway).
import { ConfidentialClientApplication, InteractionRequiredAuthError } from '@azure/msal-node';
import type { Settings } from '#shared/settings.ts';

export const GRAPH_USER_READ = 'https://graph.microsoft.com/User.Read';

/** The signed-in user, as Graph's `/me` describes them. */
export interface GraphMe {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle: string | null;
}

/** The user (or an administrator) has not granted the server the Graph permission it asked for. */
export class ConsentRequiredError extends Error {
  override name = 'ConsentRequiredError';
}

export interface OnBehalfOfOptions {
  settings: Pick<Settings, 'authority' | 'authorityHost' | 'server'>;
  /** The Graph permissions to ask for (default: User.Read, what `/me` needs). */
  graphScopes?: string[];
}

export function graphOnBehalfOf({ settings, graphScopes = [GRAPH_USER_READ] }: OnBehalfOfOptions): { me(userToken: string): Promise<GraphMe> } {
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: settings.server.clientId,
      clientSecret: settings.server.clientSecret,
      authority: settings.authority,
      knownAuthorities: [new URL(settings.authorityHost).host], // the local fake tenant in a hand run
    },
  });

  // TODO(05.3): Trade `userToken` for a Graph token of the same user (on-behalf-of), then GET /me with that
  // token, never with `userToken`. An interaction-required answer (AADSTS65001 consent_required) becomes a
  // ConsentRequiredError that says who must grant what; no token in any message.
  async function me(userToken: string): Promise<GraphMe> {
    // #region solution
    let graphToken: string;
    try {
      // msal caches the result per incoming token, so a second tool call with the same token asks Entra nothing.
      const result = await msal.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: graphScopes });
      if (!result) throw new Error('On-behalf-of returned no token.');
      graphToken = result.accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        const entra = [/AADSTS\d+/.exec(error.errorMessage)?.[0], error.subError || error.errorCode].filter(Boolean).join(' ');
        throw new ConsentRequiredError(
          `The server may not use Microsoft Graph (${graphScopes.join(', ')}) for you yet: the permission has not been ` +
            `granted (Entra: ${entra}). An administrator can grant it for everyone in ` +
            'the Entra admin center: App registrations > the server > API permissions > Grant admin consent.',
        );
      }
      throw error;
    }
    const response = await fetch('https://graph.microsoft.com/v1.0/me?$select=id,displayName,userPrincipalName,jobTitle', {
      headers: { authorization: `Bearer ${graphToken}` },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      throw new Error(`Microsoft Graph answered ${response.status} ${body.error?.code ?? ''} to GET /me.`);
    }
    const { id, displayName, userPrincipalName, jobTitle } = (await response.json()) as GraphMe;
    return { id, displayName, userPrincipalName, jobTitle };
    // #endregion
  }
  return { me };
}
