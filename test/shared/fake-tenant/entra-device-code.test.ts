// The device code flow with the real msal-node PublicClientApplication (what lab 02's stdio server uses).
import { PublicClientApplication } from '@azure/msal-node';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { APPS, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';

/** A JSON response body; checks read its fields freely. */
const json = (response: Response) => response.json() as Promise<Record<string, any>>;

// A 1 s polling interval keeps msal's poll loop short (Entra says 5).
const fake = useFakeTenant({ deviceCodeIntervalSeconds: 1 });
const AUTHORITY = `https://login.microsoftonline.com/${TENANT_ID}`;

afterEach(() => {
  vi.useRealTimers();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Asks for a device code the way msal does, without polling. */
async function requestDeviceCode() {
  const response = await fetch(`${AUTHORITY}/oauth2/v2.0/devicecode`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: APPS.localClient, scope: 'User.Read openid profile offline_access' }),
  });
  return response.json() as Promise<{ device_code: string; user_code: string; interval: number; expires_in: number; verification_uri: string }>;
}

function poll(deviceCode: string) {
  return fetch(`${AUTHORITY}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: APPS.localClient, device_code: deviceCode }),
  }).then(json);
}

describe('device code flow', () => {
  test('msal shows the message, polls (authorization_pending), and receives tokens once the user approves', async () => {
    const tenant = fake.tenant();
    const msal = new PublicClientApplication({ auth: { clientId: APPS.localClient, authority: AUTHORITY } });
    let message = '';
    let userCode = '';
    const result = msal.acquireTokenByDeviceCode({
      scopes: ['User.Read'],
      deviceCodeCallback: (response) => {
        message = response.message;
        userCode = response.userCode;
      },
    });
    const polled = (entry: { endpoint: string; grantType?: string }) => entry.endpoint === 'token' && entry.grantType === 'device_code';
    await until(() => tenant.log.count(polled) >= 1);
    expect(tenant.pendingDeviceCodes()).toEqual([expect.objectContaining({ userCode, clientId: APPS.localClient })]);
    tenant.approveDeviceCode(userCode, 'megan@contoso.onmicrosoft.com');

    const tokens = await result;
    expect(message).toBe(`To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`);
    expect(userCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(tokens?.account?.homeAccountId).toBe(`${USERS.megan}.${TENANT_ID}`);
    expect(tokens?.scopes).toContain('User.Read');
    const claims = JSON.parse(Buffer.from(tokens!.accessToken.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', ver: '1.0', appid: APPS.localClient, oid: USERS.megan, upn: 'megan@contoso.onmicrosoft.com' });
    expect(claims.scp.split(' ')).toContain('User.Read');
    expect(tenant.log.count(polled), 'one authorization_pending, then the tokens').toBe(2);
    expect(tenant.pendingDeviceCodes()).toEqual([]);
  });

  test('RFC 8628 answers: pending, slow_down, authorization_declined, expired_token', async () => {
    const tenant = fake.tenant();
    const declined = await requestDeviceCode();
    expect(declined).toMatchObject({ expires_in: 900, interval: 1, verification_uri: 'https://microsoft.com/devicelogin' });
    expect(await poll(declined.device_code)).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    expect(await poll(declined.device_code)).toMatchObject({ error: 'slow_down' });
    tenant.declineDeviceCode(declined.user_code);
    expect(await poll(declined.device_code)).toMatchObject({ error: 'authorization_declined' });

    vi.useFakeTimers({ toFake: ['Date'] });
    const expired = await requestDeviceCode();
    vi.setSystemTime(Date.now() + 901_000);
    expect(await poll(expired.device_code)).toMatchObject({ error: 'expired_token', error_codes: [70020] });
    expect(() => tenant.approveDeviceCode(expired.user_code, USERS.adele)).toThrow(/expired/);
  });

  test('a person can approve at {origin}/devicelogin', async () => {
    const tenant = fake.tenant();
    const device = await requestDeviceCode();
    const login = 'https://login.microsoftonline.com/devicelogin';
    expect((await fetch(login)).status).toBe(200);
    const pick = await (await fetch(login, { method: 'POST', body: new URLSearchParams({ user_code: device.user_code.toLowerCase() }) })).text();
    expect(pick).toContain(`value="${USERS.alex}"`);
    const done = await fetch(login, { method: 'POST', body: new URLSearchParams({ user_code: device.user_code, user: USERS.alex, password: 'workbook' }) });
    expect(await done.text()).toContain('You have signed in');
    const tokens = await poll(device.device_code);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tenant.pendingDeviceCodes()).toEqual([]);
  });
});
