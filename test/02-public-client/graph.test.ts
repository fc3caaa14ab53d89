// Step 02.3: getUserDetails with the real Graph client against the fake Graph, for two different people.
import { PublicClientApplication } from '@azure/msal-node';
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { graphModule, localClientSettings, personWhoApproves, TENANT_OPTIONS } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);

/** A Graph token for `user`, signed in by the check itself (so this step does not depend on step 2). */
async function tokenFor(user: string): Promise<string> {
  const settings = localClientSettings();
  const msal = new PublicClientApplication({ auth: { clientId: settings.localClientId, authority: settings.authority } });
  const result = await msal.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: personWhoApproves(tenant, user).onDeviceCode });
  return result!.accessToken;
}

check('02.3.1', async () => {
  const { getUserDetails, graphClient } = await graphModule();
  for (const user of [USERS.megan, USERS.alex]) {
    const token = await tokenFor(user);
    const expected = tenant().model.users.find((candidate) => candidate.id === user)!;
    tenant().log.clear();
    const details = await getUserDetails(graphClient(async () => token));
    expect(details, `the details of ${expected.displayName}, the signed-in user, and only the four fields`).toEqual({
      displayName: expected.displayName,
      mail: expected.mail,
      userPrincipalName: expected.userPrincipalName,
      id: expected.id,
    });
    const [call] = tenant().log.entries().filter((entry) => entry.host === 'graph.microsoft.com');
    expect(call?.endpoint, 'one call to Graph: GET /me').toBe('graph:/me');
    const select = new URLSearchParams(call!.path.split('?')[1] ?? '').get('$select')?.split(',') ?? [];
    expect(select.sort(), 'Graph is asked for those fields only, with $select').toEqual(['displayName', 'id', 'mail', 'userPrincipalName']);
  }
});
