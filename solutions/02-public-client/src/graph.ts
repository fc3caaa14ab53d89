// Microsoft Graph for the signed-in user. The Graph client asks the token provider for a token before
// each request, and retries 429, 503 and 504 on its own, honouring Retry-After.
import { Client } from '@microsoft/microsoft-graph-client';

/** What the tool returns about a person: enough to say who is signed in, nothing more. */
export interface UserDetails {
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  id: string;
}

export const USER_DETAILS_FIELDS = ['displayName', 'mail', 'userPrincipalName', 'id'] as const;

export function graphClient(getAccessToken: () => Promise<string>): Client {
  return Client.initWithMiddleware({ authProvider: { getAccessToken } });
}

// TODO(02.3): GET /me for the signed-in user, asking Graph for USER_DETAILS_FIELDS only ($select), and
// return just those fields: a tool hands its result to a model, so it gets what it needs and no more.
export async function getUserDetails(graph: Client): Promise<UserDetails> {
  // #region solution
  const me = await graph.api('/me').select([...USER_DETAILS_FIELDS]).get();
  return { displayName: me.displayName, mail: me.mail ?? null, userPrincipalName: me.userPrincipalName, id: me.id };
  // #endregion
}
