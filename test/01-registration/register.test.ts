// Step 01.3: the register command against the fake tenant, with the real msal-node and Graph client.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { expect, vi } from 'vitest';
import { TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { watchFiles } from '#shared/workbook/watch-files.ts';
import { adminGraph, graphPosts, register, tempEnvFile, TENANT_OPTIONS, uniqueNames, type RegisterModule } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
const readEnv = (path: string) => parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;

check('01.3.1', async () => {
  const graph = await adminGraph(tenant, USERS.adele);
  const names = uniqueNames();
  const envFile = tempEnvFile();
  const started = Date.now();
  const result = await (await register())({ graph, envFile, tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3100', names, secretLifetimeDays: 90, log: () => {} });

  const { model } = tenant();
  const local = model.applications.find((app) => app.displayName === names.localClient);
  const server = model.applications.find((app) => app.displayName === names.remoteServer);
  expect(local, `an app named '${names.localClient}' exists in the tenant`).toBeDefined();
  expect(server, `an app named '${names.remoteServer}' exists in the tenant`).toBeDefined();
  expect(local!.publicClient.redirectUris, 'the local client was created from localClientApplication()').toEqual(['http://localhost']);
  expect(server!.web.redirectUris, 'the server was created from remoteServerApplication({ serverBaseUrl })').toEqual(['http://localhost:3100/auth/callback']);
  for (const app of [local!, server!]) {
    expect(model.servicePrincipals.some((principal) => principal.appId === app.appId), `'${app.displayName}' has a service principal`).toBe(true);
  }
  expect(server!.identifierUris, "the server's Application ID URI is api://{appId}").toEqual([`api://${server!.appId}`]);
  expect(server!.passwordCredentials, 'exactly one client secret').toHaveLength(1);
  const lifetimeDays = (Date.parse(server!.passwordCredentials[0]!.endDateTime!) - started) / 86_400_000;
  expect(lifetimeDays, 'the secret lives secretLifetimeDays (90 here), not the 2-year default').toBeGreaterThan(89);
  expect(lifetimeDays, 'the secret lives secretLifetimeDays (90 here), not longer').toBeLessThan(91);
  expect(result, "the result says both apps and the secret were created, with the apps' ids").toMatchObject({ localClient: { appId: local!.appId, created: true }, remoteServer: { appId: server!.appId, created: true }, secret: 'added' });

  const env = readEnv(envFile);
  expect(env, '.env holds the settings the later labs read').toMatchObject({
    ENTRA_TENANT_ID: TENANT_ID,
    LOCAL_CLIENT_ID: local!.appId,
    SERVER_CLIENT_ID: server!.appId,
    SERVER_BASE_URL: 'http://localhost:3100',
  });
  // The proof that the secret in .env is the real one: the new server gets a token for its own API with it.
  const serverApp = new ConfidentialClientApplication({
    auth: { clientId: env.SERVER_CLIENT_ID!, clientSecret: env.SERVER_CLIENT_SECRET!, authority: `https://login.microsoftonline.com/${TENANT_ID}` },
  });
  const token = await serverApp.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  expect(token?.accessToken, 'the server signs in with the secret in .env (client credentials)').toBeTruthy();
});

check('01.3.2', async () => {
  const graph = await adminGraph(tenant, USERS.adele);
  // Names with a quote in them: in an OData $filter string a ' is written twice ('O''Brien').
  const unique = uniqueNames();
  const names = { localClient: `${unique.localClient} (O'Brien's)`, remoteServer: `${unique.remoteServer} (O'Brien's)` };
  const options = { graph, envFile: tempEnvFile(), tenantId: TENANT_ID, serverBaseUrl: 'https://mcp.contoso.com', names, log: () => {} };
  const run = await register();
  const first = await run(options).catch((error: Error) => {
    if (error.name === 'TodoError') throw error;
    throw new Error(`register failed for app names with a quote in them (O'Brien's): in an OData $filter string each ' is written twice. ${error.message}`, { cause: error });
  });
  const envAfterFirst = readFileSync(options.envFile, 'utf8');
  const appsAfterFirst = tenant().model.applications.length;

  const patches = () => tenant().log.count((entry) => entry.host === 'graph.microsoft.com' && entry.method === 'PATCH');
  const [postsBefore, patchesBefore] = [graphPosts(tenant), patches()];
  const second = await run(options).catch((error: Error) => {
    throw new Error(`the second run must find what the first created and create nothing, but it failed: ${error.message}`, { cause: error });
  });
  expect(graphPosts(tenant) - postsBefore, 'the second run makes no POST to Graph (no app, service principal or secret created)').toBe(0);
  expect(patches() - patchesBefore, 'nor changes the identifier URI again').toBe(0);
  expect(tenant().model.applications.length, 'nor creates another app registration: the tenant holds as many as after the first run').toBe(appsAfterFirst);
  expect(second, 'the second run finds the same apps and keeps the secret').toMatchObject({
    localClient: { appId: first.localClient.appId, created: false },
    remoteServer: { appId: first.remoteServer.appId, created: false },
    secret: 'kept',
  });
  expect(readEnv(options.envFile), '.env is unchanged').toEqual(parseEnv(envAfterFirst));

  // A .env without the secret (a new machine, say): one new secret, and only one.
  writeFileSync(options.envFile, '');
  expect((await run(options)).secret, 'no secret in .env for this app: register adds one').toBe('added');
  const server = tenant().model.applications.find((app) => app.appId === first.remoteServer.appId)!;
  expect(server.passwordCredentials, 'two secrets after the third run').toHaveLength(2);

  // The secret in .env belongs to another app (SERVER_CLIENT_ID differs): it is no secret of this one.
  const secret = readEnv(options.envFile).SERVER_CLIENT_SECRET!;
  writeFileSync(options.envFile, `SERVER_CLIENT_ID=${randomUUID()}\nSERVER_CLIENT_SECRET=${secret}\n`);
  expect((await run(options)).secret, ".env holds another app's secret (SERVER_CLIENT_ID is not this app's): register adds one for this app").toBe('added');
  // A secret this app has no credential for (its hint matches none): deleted in the portal, say.
  writeFileSync(options.envFile, `SERVER_CLIENT_ID=${first.remoteServer.appId}\nSERVER_CLIENT_SECRET=Zq9${secret.slice(3)}\n`);
  expect((await run(options)).secret, 'the app has no credential with the hint of the secret in .env: register adds one').toBe('added');
  // The credential of the secret in .env has expired: Entra refuses it now, so keeping it helps nobody.
  for (const credential of server.passwordCredentials) credential.endDateTime = new Date(Date.now() - 86_400_000).toISOString();
  expect((await run(options)).secret, 'the secret in .env has expired: register adds a new one, not keeps it').toBe('added');
  expect(server.passwordCredentials, 'one new secret per run that needed one: five in all').toHaveLength(5);

  // Two apps with the same name: register cannot know which one is meant, so it stops and says so.
  const twin = `${unique.localClient} twin`;
  for (let i = 0; i < 2; i += 1) await graph.api('/applications').post({ displayName: twin, signInAudience: 'AzureADMyOrg' });
  const failure = await run({ ...options, names: { ...names, localClient: twin } }).then(
    () => undefined,
    (error: Error) => error,
  );
  expect(failure, 'two apps with the same name: register stops (throws) rather than pick one').toBeInstanceOf(Error);
  expect(failure!.message, 'and says how many apps have that name').toMatch(/\b2\b/);
});

check('01.3.3', async () => {
  const { maskSecret } = await importTarget<RegisterModule>(lab, 'src/register.ts');
  for (const secret of ['abc8Q~0123456789abcdefghijklmnopqrstuvwx', 'XyZ1Q~zyxwvutsrqponmlkjihgfedcba98765432']) {
    expect(maskSecret(secret), 'the first three characters, then …***').toBe(`${secret.slice(0, 3)}…***`);
  }

  const printed: string[] = [];
  const capture = (chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  };
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const logged: string[] = [];
  const graph = await adminGraph(tenant, USERS.megan);
  const envFile = tempEnvFile();
  let result;
  try {
    const run = await register();
    await run({ graph, envFile, tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3000', names: uniqueNames() }); // default log: stderr
    result = await run({ graph, envFile: tempEnvFile(), tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3000', names: uniqueNames(), log: (line) => logged.push(line) });
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
  const secret = readEnv(envFile).SERVER_CLIENT_SECRET!;
  expect(secret, 'the secret is in .env').toBeTruthy();
  expect(printed.join(''), 'progress goes to stderr').toContain('Created');
  expect(printed.join(''), 'the secret never appears in full on stderr or stdout').not.toContain(secret);
  expect(printed.join(''), 'it is shown masked').toContain(maskSecret(secret));
  expect(logged.some((line) => line.includes('…***')), 'the log names the new secret, masked').toBe(true);
  expect(result.written.SERVER_CLIENT_SECRET, 'the result shows the secret masked').toMatch(/^.{3}…\*\*\*$/);
  expect(JSON.stringify(result), 'the result holds no part of the secret beyond its first three characters').not.toContain(secret.slice(3));
});

check('01.3.4', async () => {
  const graph = await adminGraph(tenant, USERS.adele);
  const envFile = tempEnvFile();
  const mine = ['# my own settings', 'WORKBOOK_MODE=live', 'MCP_CLIENT_ID=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'SERVER_BASE_URL=http://localhost:9999', ''].join('\n');
  writeFileSync(envFile, mine, { mode: 0o644 });
  const before = statSync(envFile).ino;
  const run = await register();
  const { snapshots } = await watchFiles(dirname(envFile), () =>
    run({ graph, envFile, tenantId: TENANT_ID, serverBaseUrl: 'http://localhost:3200', names: uniqueNames(), log: () => {} }),
  );

  expect((statSync(envFile).mode & 0o777).toString(8), '.env is readable and writable by you alone (0600)').toBe('600');
  // Looked at after every file-system call register made: the old .env aside, each file there was 0600 from its first byte.
  const exposed = snapshots.flatMap(({ after, files }) =>
    files.filter((seen) => !(seen.file === '.env' && seen.ino === before) && seen.mode !== 0o600).map((seen) => `${seen.file} was ${seen.mode.toString(8)} after ${after}`),
  );
  expect(
    exposed,
    'the secret is never world-readable, even for a moment: create the temporary file with mode 0600 (writeFileSync(temporary, text, { mode: 0o600 })), do not chmod it afterwards',
  ).toEqual([]);
  expect(
    snapshots.filter(({ files }) => !files.some((seen) => seen.file === '.env')).map(({ after }) => `no .env after ${after}`),
    '.env is never missing while register writes it: write a temporary file, then rename it over .env',
  ).toEqual([]);
  expect(statSync(envFile).ino, '.env is replaced in one step by renameSync(temporary, .env), not rewritten in place (a crash would leave half a file)').not.toBe(before);
  expect(readdirSync(dirname(envFile)), 'no temporary file is left behind').toEqual(['.env']);
  const text = readFileSync(envFile, 'utf8');
  expect(text, 'your comment stays').toContain('# my own settings');
  const env = parseEnv(text) as Record<string, string>;
  expect(env, 'your other variables stay, and the ones register writes are updated').toMatchObject({
    WORKBOOK_MODE: 'live',
    MCP_CLIENT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    SERVER_BASE_URL: 'http://localhost:3200',
  });
  expect(text.match(/^SERVER_BASE_URL=/gm), 'each variable once').toHaveLength(1);
  expect(env.SERVER_CLIENT_SECRET, 'and the new client secret is written to .env').toBeTruthy();
});
