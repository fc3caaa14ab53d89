// The scripted browser (scripted-browser.ts) signs a person in on the fake tenant's pages over HTTP, from
// outside the tenant's process, as the hand-run scripts of labs 03 and 04 do: the sign-in page, the
// consent page, the redirect back; and it says plainly what stopped it, without a code or state.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPS, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { signInWithBrowser } from '#shared/fake-tenant/scripted-browser.ts';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';

const REDIRECT_URI = 'http://localhost:3000/auth/callback';
let tenant: FakeTenant;
let server: Bridge; // the tenant over plain HTTP on loopback: the pages are the same as on its HTTPS server

beforeAll(async () => {
  tenant = await FakeTenant.create({ reuseSigningKeys: true });
  server = await startBridge(tenant);
});
afterAll(async () => {
  await server?.close();
  tenant?.close();
});

function authorizeUrl(fields: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: APPS.remoteServer,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: `api://${APPS.remoteServer}/mcp.tools`,
    state: 'the-state',
    ...fields,
  });
  return `${server.url}/${TENANT_ID}/oauth2/v2.0/authorize?${query}`;
}

describe('a scripted browser on the fake tenant\'s pages', () => {
  test('signs in, accepts the consent page, and stops at the redirect URI with the code and the state', async () => {
    const steps: string[] = [];
    // prompt=consent: the consent page comes, whatever was consented before.
    const back = await signInWithBrowser(authorizeUrl({ prompt: 'consent' }), { user: 'alex@contoso.onmicrosoft.com', stopAt: REDIRECT_URI, onStep: (step) => steps.push(step) });
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('the-state');
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(steps.join('\n')).toMatch(/the sign-in page; picked Alex Wilber/);
    expect(steps.join('\n'), 'the consent page, accepted').toMatch(/the consent page; Accept/);
    expect(steps.join('\n'), 'the steps name no code and no state').not.toMatch(/code=|state=|the-state/);
    expect(tenant.log.count('authorize')).toBeGreaterThanOrEqual(3);

    const declined = await signInWithBrowser(authorizeUrl({ prompt: 'consent' }), { user: 'alex@contoso.onmicrosoft.com', stopAt: REDIRECT_URI, consent: false });
    expect(declined.searchParams.get('error'), 'Cancel on the consent page: the app hears access_denied').toBe('access_denied');
  });

  test('a wrong password, an account the tenant lacks, and an error page each stop it with the reason', async () => {
    const run = (url: string, options: { user: string; password?: string }) => signInWithBrowser(url, { stopAt: REDIRECT_URI, ...options }).catch((error: Error) => error);
    expect(String(await run(authorizeUrl(), { user: 'megan@contoso.onmicrosoft.com', password: 'guess' }))).toMatch(/the sign-in page says: .*password/i);
    expect(String(await run(authorizeUrl(), { user: 'nobody@contoso.onmicrosoft.com' }))).toMatch(/offers no account nobody@/);
    const unregistered = await run(authorizeUrl({ redirect_uri: 'http://localhost:9/elsewhere' }), { user: USERS.megan });
    expect(String(unregistered)).toMatch(/AADSTS50011/);
    expect(String(unregistered), 'the error names no state').not.toContain('the-state');
  });
});
