// The hand run, end to end in a real (headless) browser: the lab's server runs as `npm run lab -- 03`
// runs it (its own process, the fake tenant as a local HTTPS authority), the MCP SDK's OAuth client starts
// the sign-in, and a person signs in on the tenant's page. It needs a Chrome, Chromium or Edge
// (shared/workbook/browser.ts finds one, or WORKBOOK_BROWSER names it); without one it is not checked
// here, and says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { REGISTER_MODULE } from '#shared/fake-tenant/transports/bridge.ts';
import { APPS } from '#shared/fake-tenant/default-tenant.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { handRunEnv, startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { NEEDS_FAKE_TENANT } from '#shared/fake-tenant/vitest.ts';
import { currentMode } from '#shared/settings.ts';
import { findBrowser, launchHeadless, type BrowserSearch } from '#shared/workbook/browser.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { compiledChildArgs } from '#shared/workbook/compiled-script.ts';
import { targetPath } from '#shared/workbook/target.ts';
import { CHECK_TENANT, connect, MemoryClientProvider, requireSteps, userDetails } from './helpers.ts';
import lab from './lab.ts';

const STEPS = ['03.1', '03.2', '03.3', '03.4', '03.5'];
const check = checksFor(lab);
/** The browser to drive, in mock mode only: the person signs in on the fake tenant's own sign-in page. */
const search: BrowserSearch = currentMode() === 'mock' ? findBrowser() : { reason: NEEDS_FAKE_TENANT, looked: [] };
/** Why this machine cannot check it (the skip reason), or undefined. */
const notHere = search.found ? undefined : search.reason;

let standalone: StandaloneTenant | undefined;
let landing: Server | undefined;
let browser: Browser | undefined;
let server: ChildProcess | undefined;
/** The lab's server, started and listening (rejects with its stderr if it exits first), and the page the person uses. */
let ready: Promise<{ baseUrl: string; page: Page }> | undefined;

// The lab's server process and the browser start side by side, before the check: each takes a second or
// two, mostly waiting. Not for a starter: its check fails at once with the TODO (requireSteps).
beforeAll(async () => {
  if (notHere || !stepsDone()) return;
  const tenant = await FakeTenant.create(CHECK_TENANT);
  [standalone, landing] = await Promise.all([
    startStandaloneTenant({ port: 0, tenant }),
    listen(createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Back in the MCP client.</p>'))),
  ]);
  const serverStarted = startLabProcess(standalone);
  const pageOpened = openPage();
  ready = Promise.all([serverStarted, pageOpened]).then(([baseUrl, page]) => ({ baseUrl, page }));
  ready.catch(() => {}); // the check awaits it and reports the failure; here it must not go unhandled
});

afterAll(async () => {
  server?.kill();
  await Promise.all([browser?.close(), standalone?.close(), new Promise((resolve) => (landing ? landing.close(resolve) : resolve(undefined)))]);
  standalone?.tenant.close();
});

check('03.5.4', async (context) => {
  if (notHere) return context.skip(notHere);
  requireSteps(...STEPS);
  const { baseUrl, page } = await ready!;

  const serverUrl = new URL(`${baseUrl}/mcp`);
  const provider = new MemoryClientProvider(`http://127.0.0.1:${(landing!.address() as AddressInfo).port}/oauth/callback`);
  expect(await auth(provider, { serverUrl }), 'the MCP client, not signed in yet, is sent to sign in (REDIRECT)').toBe('REDIRECT');

  await page.goto(provider.authorizationUrl!.href);
  expect(page.url(), "the server sent the browser to the tenant's sign-in page").toContain(standalone!.url);
  await page.getByLabel('Password').fill('workbook');
  await page.getByRole('button', { name: /Megan Bowen/ }).click();
  const accept = page.getByRole('button', { name: 'Accept' });
  await page.waitForURL((url) => url.href.startsWith(provider.redirectUrl) || url.pathname.endsWith('/authorize'));
  if (!page.url().startsWith(provider.redirectUrl)) await accept.click(); // the consent page, the first time
  await page.waitForURL((url) => url.href.startsWith(provider.redirectUrl));
  const back = new URL(page.url());
  expect(back.searchParams.get('state'), 'the MCP client gets its own state back, unchanged').toBe(provider.lastState);

  expect(await auth(provider, { serverUrl, authorizationCode: back.searchParams.get('code')! }), 'the server redeems the code it issued: the MCP client is signed in (AUTHORIZED)').toBe('AUTHORIZED');
  const { client } = await connect({ mcpUrl: serverUrl }, provider);
  const details = await userDetails(client);
  expect(details.isError, details.text).toBeFalsy();
  expect(JSON.parse(details.text), 'the tool answers for the person who signed in (Megan Bowen)').toMatchObject({ displayName: 'Megan Bowen' });
  await client.close();
});

function stepsDone(): boolean {
  try {
    requireSteps(...STEPS);
    return true;
  } catch {
    return false;
  }
}

/**
 * As `npm run lab -- 03` starts it: the lab's main.ts, trusting the local CA, Graph sent to the same
 * tenant (register.ts); both compiled ahead, so the child runs on plain node (compiled-script.ts). Its
 * base URL, once it listens.
 */
async function startLabProcess(tenant: StandaloneTenant): Promise<string> {
  const [baseUrl, args] = await Promise.all([freePort().then((port) => `http://localhost:${port}`), compiledChildArgs(targetPath(lab, 'src/main.ts'), [REGISTER_MODULE])]);
  tenant.tenant.model.applications.find((app) => app.appId === APPS.remoteServer)!.web.redirectUris.push(`${baseUrl}/auth/callback`);
  server = spawn(process.execPath, args, {
    cwd: targetPath(lab, '.'),
    env: { PATH: process.env.PATH ?? '', ...handRunEnv(tenant), SERVER_BASE_URL: baseUrl },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await started(server);
  return baseUrl;
}

/** The browser found, with a page that does not trust the local CA (so it ignores HTTPS errors). */
async function openPage(): Promise<Page> {
  browser = await launchHeadless(search.found!);
  return (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
}

async function listen(http: Server): Promise<Server> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return http;
}

async function freePort(): Promise<number> {
  const probe = await listen(createServer());
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves when main.ts says it listens; rejects with its stderr if it exits first. */
function started(child: ChildProcess): Promise<void> {
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('MCP server:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened:\n${stderr}`)));
  });
}
