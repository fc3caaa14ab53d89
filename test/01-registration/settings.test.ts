// Step 01.1: the settings rules and the loader. Pure functions: these checks run in live mode too.
// Besides the cases below, each rule must give the same verdict (accept or refuse) as the workbook's own
// copy of the rules, the one its settings run, on many more values: a rule that only fits the listed
// cases fails, and on the reference solution these checks prove the two copies agree.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { SettingsError } from '#shared/settings.ts';
import * as workbook from '#shared/settings-rules.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import lab from './lab.ts';
import { keptToContract } from './rule-contract.ts';

type Rules = typeof import('../../labs/01-registration/src/settings-rules.ts');
type Loader = typeof import('../../labs/01-registration/src/settings.ts');
const check = checksFor(lab);
/** The learner's rules, each failing with its rule stated when it throws or returns a non-message. */
async function rules() {
  const learner = await importTarget<Rules>(lab, 'src/settings-rules.ts');
  return {
    tenantIdProblem: keptToContract('tenantIdProblem', learner.tenantIdProblem, 'a tenant is its ID (a GUID) or a verified domain'),
    clientIdProblem: keptToContract('clientIdProblem', learner.clientIdProblem, 'a client ID is a GUID'),
    redirectUriProblem: keptToContract('redirectUriProblem', learner.redirectUriProblem, 'a redirect URI uses https, or http on localhost / 127.0.0.1 only'),
    clientSecretProblem: keptToContract('clientSecretProblem', learner.clientSecretProblem,
      'a confidential client needs a secret, its Value (not the Secret ID, a GUID) of at least 16 characters; a public client has none'),
  };
}

/** The learner's rule accepts (undefined) or refuses (a message) each value exactly when the workbook's does. */
function expectSameVerdicts(rule: (value: string) => string | undefined, workbookRule: (value: string) => string | undefined, values: string[], name: string) {
  for (const value of values) {
    const wanted = workbookRule(value) === undefined ? 'accept it (return undefined)' : 'refuse it with a message';
    const got = rule(value) === undefined ? 'accept it (return undefined)' : 'refuse it with a message';
    expect(got, `${name}(${JSON.stringify(value)}) should ${wanted}, as the workbook's own rule does`).toBe(wanted);
  }
}

/** Fresh GUIDs, and GUID look-alikes made from them: the values a copy-and-paste from the portal gives. */
function guidLike(): string[] {
  const guid = randomUUID();
  return [guid, guid.toUpperCase(), guid.replaceAll('-', ''), `{${guid}}`, guid.slice(1), `${guid}0`, guid.replace('-', '_'), `${guid.slice(0, 35)}g`];
}

/** Every value in `good` passes the rule; every value in `bad` gets a message containing `says`. */
function expectRule(rule: (value: string) => string | undefined, good: string[], bad: string[], says: RegExp, name: string) {
  for (const value of good) expect(rule(value), `${name}("${value}") should accept it (return undefined)`).toBeUndefined();
  for (const value of bad) expect(rule(value) ?? 'undefined (it was accepted)', `${name}("${value}") should refuse it with a message`).toMatch(says);
}

check('01.1.1', async () => {
  const { tenantIdProblem } = await rules();
  expectRule(
    tenantIdProblem,
    ['4f1c2a9e-6b3d-4e8a-9c71-2d5e8f0a1b3c', 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D', 'contoso.onmicrosoft.com', 'fabrikam.com', 'login.woodgrove.co.uk'],
    ['', 'contoso', '4f1c2a9e-6b3d-4e8a-9c71', 'https://contoso.com', 'contoso..com', 'user@contoso.com', '-bad-.com'],
    /GUID|domain/i,
    'tenantIdProblem',
  );
  const domains = ['woodgrove.onmicrosoft.com', 'a.io', 'ab.io', 'contoso-eu.onmicrosoft.com', 'contoso.com.', '.contoso.com', 'conto_so.com', 'contoso.c0m', 'xn--bcher-kva.example', `${'a'.repeat(64)}.com`, 'contoso com', 'common', 'organizations'];
  expectSameVerdicts(tenantIdProblem, workbook.tenantIdProblem, [...guidLike(), ...guidLike(), ...domains], 'tenantIdProblem');
});

check('01.1.2', async () => {
  const { clientIdProblem } = await rules();
  expectRule(
    clientIdProblem,
    ['7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a04', '00000003-0000-0000-C000-000000000000'],
    ['', '1234', 'MCP Workbook Local Client', '7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a0', '{7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a04}', '7b2e9c41x0d5a-4f6e-8a13-5c9d2e7f1a04'],
    /GUID/,
    'clientIdProblem',
  );
  expectSameVerdicts(clientIdProblem, workbook.clientIdProblem, [...guidLike(), ...guidLike(), 'contoso.onmicrosoft.com', 'api://7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a04'], 'clientIdProblem');
});

check('01.1.3', async () => {
  const { redirectUriProblem } = await rules();
  expectRule(
    redirectUriProblem,
    ['https://mcp.contoso.com/auth/callback', 'https://localhost:3443/auth/callback', 'http://localhost:3000/auth/callback', 'http://127.0.0.1:8400/', 'http://localhost'],
    ['http://mcp.contoso.com/auth/callback', 'http://192.168.1.20:3000/auth/callback', 'http://localhost.evil.com/cb', 'http://127.0.0.1.nip.io/cb', 'http://notlocalhost/cb', 'http://evil.com/localhost', 'ftp://localhost/cb'],
    /https/,
    'redirectUriProblem',
  );
  for (const value of ['', 'not a url', '/auth/callback']) expect(redirectUriProblem(value), `redirectUriProblem("${value}") should refuse it`).toBeTypeOf('string');
  const port = 1024 + Math.floor(Math.random() * 60_000);
  const uris = [
    ...['https://mcp.fabrikam.com', `https://localhost:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://mcp.fabrikam.com', `http://10.0.0.${port % 250}:${port}`, 'http://127.0.0.2', 'http://0.0.0.0', `http://localhost.${port}.example`].map((origin) => `${origin}/auth/callback`),
    `http://user@evil.example/localhost/auth/callback`, 'https://mcp.fabrikam.com/auth/callback?next=http://x', 'mcp.fabrikam.com/auth/callback', 'ws://localhost/auth/callback', 'file:///auth/callback',
  ];
  expectSameVerdicts(redirectUriProblem, workbook.redirectUriProblem, uris, 'redirectUriProblem');
});

check('01.1.4', async () => {
  const { clientSecretProblem } = await rules();
  for (const secret of ['abC8Q~aLongEnoughSecretValue.0123456789', 'x'.repeat(16)]) {
    expect(clientSecretProblem(secret, 'confidential'), 'a confidential client with a real secret is fine').toBeUndefined();
    expect(clientSecretProblem(secret, 'public') ?? 'undefined (it was accepted)', 'a public client must have no secret').toMatch(/public/i);
  }
  expect(clientSecretProblem(undefined, 'public'), 'a public client without a secret is fine').toBeUndefined();
  expect(clientSecretProblem(undefined, 'confidential'), 'a confidential client needs a secret').toMatch(/not set|needs|missing/i);
  expect(clientSecretProblem('', 'confidential'), 'an empty secret is no secret').toMatch(/not set|needs|missing/i);
  for (const secret of ['short~secret', 'fifteen~chars.1', 'abc']) {
    expect(clientSecretProblem(secret, 'confidential') ?? 'undefined (it was accepted)', `a ${secret.length}-character secret is too short: the rule is at least 16 characters`).toMatch(/short/i);
  }
  expect(clientSecretProblem('d9e8f7a6-b5c4-4d3e-9f2a-1b0c9d8e7f63', 'confidential') ?? 'undefined (it was accepted)', 'a GUID is the Secret ID, not its Value').toMatch(/Secret ID/);
  const secret = randomUUID().replaceAll('-', '');
  const secrets = [...guidLike(), secret, secret.slice(0, 15), secret.slice(0, 16), secret.slice(0, 17), `${secret.slice(0, 8)}~${secret.slice(8, 14)}`];
  for (const client of ['confidential', 'public'] as const) {
    expectSameVerdicts((value) => clientSecretProblem(value, client), (value) => workbook.clientSecretProblem(value, client), secrets, `clientSecretProblem(…, '${client}') with the value`);
  }
});

const GOOD = {
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  LOCAL_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  SERVER_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
  SERVER_CLIENT_SECRET: 'abc8Q~a-long-enough-client-secret',
  SERVER_BASE_URL: 'https://mcp.contoso.com/',
};

check('01.1.5', async () => {
  const { loadRegisteredSettings } = await importTarget<Loader>(lab, 'src/settings.ts');
  const loaded = loadRegisteredSettings(GOOD);
  expect(loaded, 'valid values load, and the redirect URI is the base URL + /auth/callback').toMatchObject({
    tenantId: GOOD.ENTRA_TENANT_ID,
    localClientId: GOOD.LOCAL_CLIENT_ID,
    serverClientId: GOOD.SERVER_CLIENT_ID,
    serverClientSecret: GOOD.SERVER_CLIENT_SECRET,
    serverRedirectUri: 'https://mcp.contoso.com/auth/callback',
  });
  expect(loadRegisteredSettings({ ...GOOD, SERVER_BASE_URL: 'http://localhost:3000' }).serverRedirectUri, 'the redirect URI follows SERVER_BASE_URL: its base URL + /auth/callback').toBe('http://localhost:3000/auth/callback');

  const bad = { ...GOOD, LOCAL_CLIENT_ID: 'my-local-client', SERVER_BASE_URL: 'http://mcp.contoso.com', SERVER_CLIENT_SECRET: undefined };
  let error: unknown;
  try {
    loadRegisteredSettings(bad);
  } catch (caught) {
    error = caught;
  }
  expect(error, 'three wrong values: loadRegisteredSettings should throw a SettingsError').toBeInstanceOf(SettingsError);
  const { problems, message } = error as SettingsError;
  expect(problems.map((p) => p.variable).sort(), 'one problem per wrong variable, all in one error').toEqual(['LOCAL_CLIENT_ID', 'SERVER_BASE_URL', 'SERVER_CLIENT_SECRET']);
  expect(message, 'the message says what is wrong').toMatch(/GUID[\s\S]*https|https[\s\S]*GUID/);
  expect(message, 'the message says where in the Entra admin center to look').toContain('Certificates & secrets');
  expect(message, "and where to find a client ID: Application (client) ID, on the app's overview page").toContain('Application (client) ID');
  expect(() => loadRegisteredSettings({ ...GOOD, ENTRA_TENANT_ID: 'contoso' }), 'a tenant that is neither GUID nor domain').toThrow(/ENTRA_TENANT_ID[\s\S]*Tenant ID/);
});
