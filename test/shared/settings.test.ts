import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, test } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { SETTINGS } from '#shared/settings-catalog.ts';
import { loadSettings, SettingsError } from '#shared/settings.ts';

import { LIVE } from './live-settings.ts';

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error('expected a SettingsError');
}

describe('settings', () => {
  test('mock mode needs no configuration: the fake tenant supplies every value', () => {
    const settings = loadSettings({ env: {} });
    expect(settings.mode).toBe('mock');
    expect(settings.tenantId).toBe(TENANT_ID);
    expect(settings.authority).toBe(`https://login.microsoftonline.com/${TENANT_ID}`);
    expect(settings.localClientId).toBe(APPS.localClient);
    expect(settings.server.redirectUri).toBe('http://localhost:3000/auth/callback');
  });

  test('mock mode takes an override from the environment, never from .env', () => {
    const settings = loadSettings({
      env: { ENTRA_AUTHORITY_HOST: 'https://localhost:8443/' },
      dotEnv: { SERVER_CLIENT_ID: LIVE.SERVER_CLIENT_ID },
    });
    expect(settings.authority).toBe(`https://localhost:8443/${TENANT_ID}`);
    expect(settings.server.clientId).toBe(APPS.remoteServer);
  });

  test('live mode reads .env, and the environment wins over it', () => {
    const settings = loadSettings({ env: { WORKBOOK_MODE: 'live', SERVER_BASE_URL: 'http://127.0.0.1:4000' }, dotEnv: LIVE });
    expect(settings.tenantId).toBe('contoso.onmicrosoft.com');
    expect(settings.server.redirectUri).toBe('http://127.0.0.1:4000/auth/callback');
  });

  test('live mode names each missing variable and where to find it', () => {
    const problems = problemsOf(() => loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: {}, need: ['server'] }));
    expect(problems.map((p) => p.variable)).toEqual(['ENTRA_TENANT_ID', 'SERVER_CLIENT_ID', 'SERVER_CLIENT_SECRET']);
    expect(problems[0]!.where).toContain('Tenant ID');
    expect(problems[2]!.where).toContain('Certificates & secrets');
  });

  test('live mode asks only for the sections a lab needs', () => {
    const settings = loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: { ENTRA_TENANT_ID: TENANT_ID, LOCAL_CLIENT_ID: LIVE.LOCAL_CLIENT_ID }, need: ['localClient'] });
    expect(settings.localClientId).toBe(LIVE.LOCAL_CLIENT_ID);
  });

  test.each([
    ['ENTRA_TENANT_ID', 'not a tenant', 'or a verified domain'],
    ['LOCAL_CLIENT_ID', '1234', 'must be a GUID'],
    ['SERVER_BASE_URL', 'http://mcp.contoso.com', 'must use https'],
    ['SERVER_BASE_URL', 'https://mcp.contoso.com/mcp', 'no path'],
    ['ENTRA_AUTHORITY_HOST', 'http://localhost:8443', 'https'],
    ['SERVER_CLIENT_SECRET', 'short', 'too short'],
    ['SERVER_TRUST_PROXY', 'true', 'Never true'],
    ['SERVER_TRUST_PROXY', '0', 'number of proxies'],
    ['SERVER_TRUST_PROXY', '10.0.1.0/24, 10.0.300.1', 'their addresses'],
    ['LOCAL_SIGN_IN', 'popup', 'auto, browser or device-code'],
  ])('a wrong %s (%s) is refused with a clear message', (variable, value, message) => {
    const problems = problemsOf(() => loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: { ...LIVE, [variable]: value } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.variable).toBe(variable);
    expect(problems[0]!.problem).toContain(message);
  });

  test('lab 02: how the local server signs you in, auto by default, in either mode', () => {
    expect(loadSettings({ need: ['localClient'] }).localSignIn, 'mock mode, unset: auto').toBe('auto');
    expect(loadSettings({ env: { LOCAL_SIGN_IN: ' device-code ' }, need: ['localClient'] }).localSignIn).toBe('device-code');
    const live = loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: { ENTRA_TENANT_ID: TENANT_ID, LOCAL_CLIENT_ID: LIVE.LOCAL_CLIENT_ID, LOCAL_SIGN_IN: 'browser' }, need: ['localClient'] });
    expect(live.localSignIn, 'live mode reads it from .env too').toBe('browser');
    expect(problemsOf(() => loadSettings({ env: { LOCAL_SIGN_IN: 'popup' }, need: ['localClient'] })).map((p) => p.variable), 'a wrong value is refused in mock mode too').toEqual(['LOCAL_SIGN_IN']);
  });

  test('lab 04 in production: a hop count or the addresses of the proxies to trust, and none by default', () => {
    const live = (extra: Record<string, string>) => loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: { ...LIVE, ...extra } });
    expect(live({}).server.trustProxy, 'unset: no proxy is trusted').toBeUndefined();
    expect(live({ SERVER_TRUST_PROXY: '2' }).server.trustProxy).toBe(2);
    expect(live({ SERVER_TRUST_PROXY: '10.0.1.0/24, loopback,fd00::/8' }).server.trustProxy).toEqual(['10.0.1.0/24', 'loopback', 'fd00::/8']);
    expect(loadSettings({ env: { SERVER_TRUST_PROXY: 'loopback' } }).server.trustProxy, 'mock mode takes it from the environment').toEqual(['loopback']);
  });

  test('lab 04 in production: a PEM certificate with its key, or a PFX with its passphrase; never half of one', () => {
    const live = (extra: Record<string, string>, need?: Array<'server' | 'localClient'>) =>
      loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: { ...LIVE, ...extra }, ...(need ? { need } : {}) });
    expect(live({}).server.certificate, 'unset: the development certificate').toBeUndefined();
    expect(live({ SERVER_TLS_CERT_FILE: 'tls/server.crt', SERVER_TLS_KEY_FILE: 'tls/server.key' }).server.certificate).toEqual({ certFile: 'tls/server.crt', keyFile: 'tls/server.key' });
    expect(live({ SERVER_TLS_PFX_FILE: 'tls/server.pfx', SERVER_TLS_PFX_PASSPHRASE: 'open sesame' }).server.certificate).toEqual({ pfxFile: 'tls/server.pfx', passphrase: 'open sesame' });
    expect(live({ SERVER_TLS_PFX_FILE: 'tls/server.pfx' }).server.certificate).toEqual({ pfxFile: 'tls/server.pfx' });

    const half = problemsOf(() => live({ SERVER_TLS_CERT_FILE: 'tls/server.crt' }));
    expect(half.map((p) => [p.variable, p.problem])).toEqual([['SERVER_TLS_KEY_FILE', expect.stringContaining('needs its private key')]]);
    expect(problemsOf(() => live({ SERVER_TLS_KEY_FILE: 'tls/server.key' }))[0]!.variable).toBe('SERVER_TLS_CERT_FILE');
    expect(problemsOf(() => live({ SERVER_TLS_PFX_PASSPHRASE: 'open sesame' }))[0]!.variable).toBe('SERVER_TLS_PFX_FILE');
    const both = problemsOf(() => live({ SERVER_TLS_PFX_FILE: 'tls/server.pfx', SERVER_TLS_CERT_FILE: 'tls/server.crt', SERVER_TLS_KEY_FILE: 'tls/server.key' }));
    expect(both.map((p) => p.problem)).toEqual([expect.stringContaining('give one or the other')]);
    // Only the server reads them: a lab that does not run it is not stopped by them.
    expect(() => live({ SERVER_TLS_CERT_FILE: 'tls/server.crt' }, ['localClient'])).not.toThrow();
  });

  test('an unknown mode is refused', () => {
    expect(() => loadSettings({ env: { WORKBOOK_MODE: 'prod' } })).toThrow(/WORKBOOK_MODE: must be "mock" or "live"/);
  });

  test('.env.example documents exactly the settings the workbook reads', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^#? ?([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(Object.keys(SETTINGS)));
    // The example is a valid live configuration once the blanks are filled.
    const filled = Object.fromEntries(Object.entries(parseEnv(text)).map(([k, v]) => [k, v || (LIVE as Record<string, string>)[k]!]));
    expect(() => loadSettings({ env: { WORKBOOK_MODE: 'live' }, dotEnv: filled as Record<string, string> })).not.toThrow();
  });
});
