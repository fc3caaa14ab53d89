// The standalone tenant (`npm run tenant`) with the real msal-node, the way a hand run uses it: the web
// app is a child process that trusts the local CA through NODE_EXTRA_CA_CERTS, and knows the tenant
// only by its authority URL. The sign-in page is driven with plain HTTPS requests here (a browser
// drives it in browser.test.ts).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { registerArgs } from '#shared/fake-tenant/transports/bridge.ts';
import { describeStandalone, handRunEnv, startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { httpsRequest } from './fixtures/https-client.ts';
import { spawnJsonChild, type JsonChild } from './fixtures/json-child.ts';

const REDIRECT_URI = 'http://localhost:3000/auth/callback'; // registered for the remote server; never visited here

let standalone: StandaloneTenant;
let webApp: JsonChild | undefined;
let labProcess: JsonChild | undefined;
beforeAll(async () => {
  standalone = await startStandaloneTenant({ port: 0 }); // a free port: msal matches knownAuthorities port included
});
afterAll(async () => {
  webApp?.stop();
  labProcess?.stop();
  await standalone?.close();
});

describe('the standalone tenant', () => {
  test('serves HTTPS on localhost with a discovery document for its own origin', async () => {
    expect(standalone.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(standalone.authority).toBe(`${standalone.url}/${TENANT_ID}`);
    const response = await httpsRequest(`${standalone.authority}/v2.0/.well-known/openid-configuration`, {
      ca: standalone.certificates.ca,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      issuer: `${standalone.authority}/v2.0`,
      token_endpoint: `${standalone.authority}/oauth2/v2.0/token`,
    });
  });

  test('tells a person where it is, who can sign in and how to trust it', () => {
    const text = describeStandalone(standalone);
    expect(text).toContain(standalone.authority);
    expect(text).toContain('Adele Vance');
    expect(text).toContain(`NODE_EXTRA_CA_CERTS=${standalone.certificates.caCertPath}`);
  });

  test('msal-node signs Megan in with auth code + PKCE, then answers silently from its cache', async () => {
    webApp = spawnJsonChild(
      ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./fixtures/msal-web-app.ts', import.meta.url))],
      {
        NODE_EXTRA_CA_CERTS: standalone.certificates.caCertPath, // read at start-up: the only way in for fetch
        AUTHORITY: standalone.authority,
        CLIENT_ID: APPS.remoteServer,
        CLIENT_SECRET: REMOTE_SERVER_SECRET,
        REDIRECT_URI,
      },
    );
    const { authorizeUrl } = await webApp.next();
    expect(authorizeUrl.startsWith(`${standalone.authority}/oauth2/v2.0/authorize?`)).toBe(true);

    // What a browser does: load the sign-in page, then submit its form for one of the accounts.
    const ca = standalone.certificates.ca;
    const signInPage = await httpsRequest(authorizeUrl, { ca });
    expect(signInPage.status).toBe(200);
    const form = parseForm(signInPage.body);
    form.fields.set('user', USERS.megan);
    form.fields.set('password', 'workbook');
    const submitted = await httpsRequest(new URL(form.action, authorizeUrl).href, {
      ca,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.fields.toString(),
    });
    expect(submitted.status, 'the form redirects back to the web app').toBe(302);
    expect(submitted.headers.location?.startsWith(`${REDIRECT_URI}?`)).toBe(true);

    webApp.send(submitted.headers.location!);
    expect(await webApp.next()).toMatchObject({
      name: 'Megan Bowen',
      username: 'megan@contoso.onmicrosoft.com',
      silentFromCache: true,
    });
    expect((await webApp.exited).code).toBe(0);
    expect(standalone.tenant.log.count('token'), 'one token request: the silent call came from the cache').toBe(1);
  });

  test('a lab process in a hand run reaches it for Graph too, through register.ts with the server as its bridge', async () => {
    standalone.tenant.log.clear();
    labProcess = spawnJsonChild(
      [...registerArgs(), fileURLToPath(new URL('./fixtures/child-requests.ts', import.meta.url)), TENANT_ID, APPS.remoteServer, REMOTE_SERVER_SECRET],
      handRunEnv(standalone),
    );
    const result = await labProcess.next();
    expect(result.issuer).toBe(`https://login.microsoftonline.com/${TENANT_ID}/v2.0`);
    expect(result.tokenStatus).toBe(200);
    expect(result.directIssuer, 'its own authority URL is not intercepted').toBe(`${standalone.authority}/v2.0`);
    expect(standalone.tenant.log.count((entry) => entry.host === 'graph.microsoft.com')).toBe(2);
  });
});

/** The sign-in page's form: its action and hidden fields (the page is plain, escaped HTML). */
function parseForm(html: string): { action: string; fields: URLSearchParams } {
  const decode = (text: string) =>
    text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error(`no form on the page:\n${html}`);
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(decode(name!), decode(value!));
  }
  return { action: decode(action), fields };
}
