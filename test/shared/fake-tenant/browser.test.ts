// A person signs in on the standalone tenant's page in a real (headless) browser, and a web app using
// the real msal-node redeems the code. Needs a Chrome, Chromium or Edge (shared/workbook/browser.ts finds
// one, or WORKBOOK_BROWSER names it); skipped, saying why, without one.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPS, REMOTE_SERVER_SECRET } from '#shared/fake-tenant/default-tenant.ts';
import { startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { findBrowser, launchHeadless } from '#shared/workbook/browser.ts';
import { spawnJsonChild, type JsonChild } from './fixtures/json-child.ts';

const search = findBrowser();
if (!search.found) console.log(`Skipping the browser sign-in test: ${search.reason}.`);

const SCREENSHOT = new URL('../../../.workbook/screenshots/sign-in.png', import.meta.url);

describe.skipIf(!search.found)('sign-in in a browser', () => {
  let standalone: StandaloneTenant;
  let clientApp: Server;
  let redirectUri: string;
  let browser: Browser;
  let webApp: JsonChild | undefined;

  beforeAll(async () => {
    [standalone, clientApp, browser] = await Promise.all([
      startStandaloneTenant({ port: 0 }),
      startClientApp(),
      launchHeadless(search.found!),
    ]);
    redirectUri = `http://localhost:${(clientApp.address() as AddressInfo).port}/auth/callback`;
    // Register this test's web app address as a redirect URI of the remote server's registration.
    standalone.tenant.model.applications.find((app) => app.appId === APPS.remoteServer)!.web.redirectUris.push(redirectUri);
  });

  afterAll(async () => {
    webApp?.stop();
    await Promise.all([browser?.close(), standalone?.close(), new Promise((resolve) => clientApp?.close(resolve))]);
  });

  test('Adele picks her account on the sign-in page, and msal-node redeems the code', async () => {
    webApp = spawnJsonChild([...TSX, fileURLToPath(new URL('./fixtures/msal-web-app.ts', import.meta.url))], {
      NODE_EXTRA_CA_CERTS: standalone.certificates.caCertPath,
      AUTHORITY: standalone.authority,
      CLIENT_ID: APPS.remoteServer,
      CLIENT_SECRET: REMOTE_SERVER_SECRET,
      REDIRECT_URI: redirectUri,
    });
    const { authorizeUrl } = await webApp.next();

    const context = await browser.newContext({ ignoreHTTPSErrors: true }); // the local CA is not trusted by this browser
    const page = await context.newPage();
    await page.goto(authorizeUrl);
    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: fileURLToPath(SCREENSHOT) });
    await page.getByLabel('Password').fill('workbook');
    await page.getByRole('button', { name: /Adele Vance/ }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    expect(await page.textContent('body')).toContain('Signed in');

    webApp.send(page.url());
    const result = await webApp.next();
    expect(result).toMatchObject({ name: 'Adele Vance', username: 'adele@contoso.onmicrosoft.com', silentFromCache: true });
  });
});

const TSX = ['--import', import.meta.resolve('tsx')];

/** The web app's redirect URI: a loopback server that only says the browser arrived. */
async function startClientApp(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Signed in: the web app has the code.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
