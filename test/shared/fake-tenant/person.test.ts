// The person a check plays (shared/fake-tenant/person.ts) takes the browser's path through the tenant
// but reads what each page asks from the data its handler labels it with, never from the HTML: the
// pages a browser gets are the same, and the person's failures still name Entra's reason.
import { expect, test } from 'vitest';
import { APPS, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { pageShown } from '#shared/fake-tenant/entra/pages.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';

const AUTHORIZE = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`;

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({ client_id: APPS.remoteServer, response_type: 'code', redirect_uri: 'http://localhost:3000/auth/callback', scope: 'User.Read', state: 'st', ...params });
  return `${AUTHORIZE}?${query}`;
}

test('each page a person may meet carries what it asks, beside the HTML a browser reads', async () => {
  const tenant = await FakeTenant.create();
  const signInPage = await tenant.handle(new Request(authorizeUrl({})));
  expect(await signInPage.text()).toContain('<h1>Sign in</h1>');
  expect(pageShown(signInPage)).toEqual({ page: 'sign-in' });

  // The sign-in form, posted with an account: Megan has not consented to User.ReadBasic.All.
  const form = new URL(authorizeUrl({ scope: 'User.ReadBasic.All' })).searchParams;
  form.set('user', USERS.megan);
  const consent = await tenant.handle(new Request(AUTHORIZE, { method: 'POST', body: form }));
  expect(pageShown(consent)).toEqual({ page: 'consent' });

  const untrusted = await tenant.handle(new Request(authorizeUrl({ redirect_uri: 'https://evil.example/cb' })));
  expect(pageShown(untrusted)).toMatchObject({ page: 'error', code: 50011 });
});

test('the person follows form_post and names the reason of an error page', async () => {
  const tenant = await FakeTenant.create();
  const posted = await tenant.signIn(authorizeUrl({ response_mode: 'form_post' }), USERS.adele);
  expect(posted.origin + posted.pathname).toBe('http://localhost:3000/auth/callback');
  expect(posted.searchParams.get('code')).toBeTruthy();
  expect(posted.searchParams.get('state')).toBe('st');

  const untrusted = await tenant.signIn(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), USERS.adele).catch((error: Error) => error);
  expect(String(untrusted)).toMatch(/answered 400 with a page instead of a redirect: AADSTS50011: /);
});

test('the person enters a device code on the device login page, and names what the page said when it fails', async () => {
  const tenant = await FakeTenant.create();
  const body = new URLSearchParams({ client_id: APPS.localClient, scope: 'User.Read offline_access' });
  const issued = (await (await tenant.handle(new Request(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/devicecode`, { method: 'POST', body }))).json()) as {
    user_code: string;
    device_code: string;
    verification_uri: string;
  };
  expect(tenant.issuedDeviceCodes(), 'the device_code secrets handed out, for leak checks').toEqual([issued.device_code]);
  const entry = await tenant.handle(new Request(issued.verification_uri));
  expect(pageShown(entry)).toEqual({ page: 'device-code' });

  const wrong = await tenant.enterDeviceCode(issued.verification_uri, 'WRONGCDE', USERS.megan).catch((error: Error) => error);
  expect(String(wrong)).toMatch(/device-code page: That code was not recognised/);
  await tenant.enterDeviceCode(issued.verification_uri, issued.user_code.toLowerCase(), USERS.megan);
  expect(tenant.pendingDeviceCodes(), 'approved: the client\'s next poll gets the tokens').toEqual([]);
  expect(tenant.log.count('devicelogin'), 'through the page, as a browser').toBe(3);
});
