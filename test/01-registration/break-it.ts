// Lab 01, break it: lab 01 has no server, so the attacks go at what it does have: the settings rules
// every later lab trusts, the register command, and the .env file it writes. An attacker (or a hurried
// colleague) slips a look-alike redirect URI or the wrong secret into the settings, a pipeline runs the
// registrar on every deploy, another account on the machine reads .env. `npm start -- break 01` runs
// these against your code on the fake tenant; it is not part of the grade.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseEnv } from 'node:util';
import { expect } from 'vitest';
import { APPS, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { SettingsError } from '#shared/settings.ts';
import { answerLine, attacksFor } from '#shared/workbook/break-it/attack.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { watchFiles } from '#shared/workbook/watch-files.ts';
import { adminGraph, graphPosts, register, tempEnvFile, TENANT_OPTIONS, uniqueNames } from './helpers.ts';
import lab from './lab.ts';

type Loader = typeof import('../../labs/01-registration/src/settings.ts');
type EnvFile = typeof import('../../labs/01-registration/src/env-file.ts');

const attack = attacksFor(lab);
const { tenant } = useFakeTenant(TENANT_OPTIONS);

/** Settings a person would really have: every value right, so the one the attacker changes is the only problem. */
const HONEST = {
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  LOCAL_CLIENT_ID: '7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a04',
  SERVER_CLIENT_ID: 'c3a8f1d2-4b6e-4c9a-8f3d-8d1e6f2a9b57',
  SERVER_CLIENT_SECRET: 'Qx7~n2Vb.Tq9LmZ4sR8wKf1Yh6Jd3Gc0Pa5Ue',
  SERVER_BASE_URL: 'http://localhost:3000',
};

/** Your loadRegisteredSettings on these values: the problem it names for `variable`, or undefined if it accepted them. */
async function verdictOn(values: Record<string, string | undefined>, variable: string): Promise<{ accepted: boolean; problem?: string }> {
  const { loadRegisteredSettings } = await importTarget<Loader>(lab, 'src/settings.ts');
  try {
    loadRegisteredSettings(values);
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error; // a TODO, or a rule that crashed: shown as it is
    const problem = error.problems.find((candidate) => candidate.variable === variable)?.problem;
    return { accepted: false, problem: problem ?? `refused, but for ${error.problems.map((p) => p.variable).join(', ')}` };
  }
}

attack('01.1.3', 'slip a look-alike localhost into SERVER_BASE_URL', async (say) => {
  say.note('The attacker cannot sign in to your tenant, but can suggest a setting: a pull request to the');
  say.note("deployment's .env, a \"fixed\" value pasted in the team chat. The redirect URI is that value + /auth/callback:");
  say.note('where Entra sends the authorization code after every sign-in.');
  say.send(`SERVER_BASE_URL=${HONEST.SERVER_BASE_URL}   (the honest value: this machine, while you develop)`);
  const honest = await verdictOn(HONEST, 'SERVER_BASE_URL');
  say.answer(honest.accepted ? 'accepted' : `refused: ${honest.problem}`);
  expect(honest.accepted, `your settings refused the honest value SERVER_BASE_URL=${HONEST.SERVER_BASE_URL}: plain http on localhost must stay allowed while you develop`).toBe(true);

  const hostile = [
    ['http://localhost.evil.example:3000', 'a host that only starts with "localhost"'],
    ['http://localhost:3000@evil.example', '"localhost:3000" here is a user name and password'],
    ['http://mcp.contoso.com', 'a real server, on plain http'],
  ] as const;
  const accepted: Array<{ value: string; host: string }> = [];
  for (const [value, trick] of hostile) {
    const host = new URL(value).hostname;
    say.send(`SERVER_BASE_URL=${value}   (${trick})`);
    const verdict = await verdictOn({ ...HONEST, SERVER_BASE_URL: value }, 'SERVER_BASE_URL');
    say.answer(verdict.accepted ? `accepted: the redirect URI would be ${value}/auth/callback` : `refused: ${verdict.problem}`);
    say.note(`The host a browser would carry the code to: ${host}, over plain http${host === 'evil.example' || host.endsWith('.evil.example') ? ' (the attacker\'s)' : ' (readable on every network hop)'}.`);
    if (verdict.accepted) accepted.push({ value, host });
  }
  for (const { value, host } of accepted) {
    expect(value, `your settings accepted SERVER_BASE_URL=${value}: Entra would send authorization codes over plain http to ${host}, not to this machine`).toBeUndefined();
  }
});

attack('01.1.4', 'paste the Secret ID, or half a secret, where the secret goes', async (say) => {
  say.note('The portal shows a new secret twice over: its Value (shown once) beside its Secret ID, a GUID.');
  say.note('A hurried colleague copies the wrong one, or a chat window cuts the Value short.');
  const secretId = randomUUID();
  const cut = say.secret(HONEST.SERVER_CLIENT_SECRET.slice(0, 15), 'the Value, cut short');
  const accepted: string[] = [];
  for (const [value, what] of [[secretId, 'the Secret ID'], [cut, 'the first 15 characters of the Value']] as const) {
    say.send(`SERVER_CLIENT_SECRET=${value}   (${what})`);
    const verdict = await verdictOn({ ...HONEST, SERVER_CLIENT_SECRET: value }, 'SERVER_CLIENT_SECRET');
    say.answer(verdict.accepted ? 'accepted: the server would start with it' : `refused: ${verdict.problem}`);
    if (verdict.accepted) accepted.push(what);
  }

  say.note('Without the rule, this is what the server would hear at its first sign-in, three labs later:');
  say.send(`POST /${TENANT_ID}/oauth2/v2.0/token   grant_type=client_credentials, client_secret=the Secret ID`);
  const response = await fetch(`https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APPS.remoteServer, client_secret: secretId, scope: 'https://graph.microsoft.com/.default' }),
  });
  say.answer(await answerLine(response, 100));
  say.note('A message about Entra, not about your .env: your rule is what names the variable and the mistake.');
  for (const what of accepted) {
    expect(what, `your settings accepted ${what} as SERVER_CLIENT_SECRET: the server starts, and fails at its first sign-in, far from the cause`).toBeUndefined();
  }
});

attack('01.3.2', 'run the registrar again and again, as a deploy pipeline would', async (say) => {
  say.note('A pipeline runs your register command on every deploy. Each run that creates something leaves it');
  say.note('behind: another app, another service principal, another live secret that nobody tracks.');
  const graph = await adminGraph(tenant, USERS.adele);
  const run = await register();
  const options = { graph, envFile: tempEnvFile(), tenantId: TENANT_ID, serverBaseUrl: 'https://mcp.contoso.com', names: uniqueNames() };
  const server = () => tenant().model.applications.find((app) => app.displayName === options.names.remoteServer);

  for (const deploy of [1, 2, 3]) {
    const lines: string[] = [];
    const postsBefore = graphPosts(tenant);
    say.send(`deploy ${deploy}: register   (as Adele, an Application Administrator)`);
    await run({ ...options, log: (line) => lines.push(line) });
    const secret = parseEnv(readFileSync(options.envFile, 'utf8')).SERVER_CLIENT_SECRET;
    if (secret) say.secret(secret, 'the client secret');
    for (const line of lines) say.answer(line.replaceAll(options.envFile, '.env'));
    const posts = graphPosts(tenant) - postsBefore;
    const apps = tenant().model.applications.filter((app) => Object.values(options.names).includes(app.displayName)).length;
    say.note(`Graph POSTs in this run: ${posts}; apps with these names: ${apps}; live secrets on the server: ${server()?.passwordCredentials.length ?? 0}.`);
    if (deploy > 1) {
      expect(posts, `deploy ${deploy} created ${posts} object(s) in Graph again: every deploy leaves another app, service principal or secret behind`).toBe(0);
    }
  }
  expect(server()?.passwordCredentials.length, 'after three deploys the server holds more than one client secret: one per run, live for months, none tracked').toBe(1);
});

attack('01.3.4', 'read .env from another account on the same machine', async (say) => {
  say.note('Someone made .env the usual way (cp .env.example .env): mode 644, so every account on the');
  say.note('machine may read it. Then your writeEnvFile (what register calls) writes the client secret into it.');
  const envFile = tempEnvFile();
  writeFileSync(envFile, '# my own settings\nWORKBOOK_MODE=live\n', { mode: 0o644 });
  say.send(`ls -l .env   → ${(statSync(envFile).mode & 0o777).toString(8)}`);
  const secret = say.secret(`${randomUUID().slice(0, 8)}~${randomUUID().replaceAll('-', '')}`, 'the client secret');
  const { writeEnvFile } = await importTarget<EnvFile>(lab, 'src/env-file.ts');
  say.send('writeEnvFile(.env, { SERVER_CLIENT_ID, SERVER_CLIENT_SECRET })   (your code)');
  const before = statSync(envFile).ino;
  const { snapshots } = await watchFiles(dirname(envFile), async () => writeEnvFile(envFile, { SERVER_CLIENT_ID: APPS.remoteServer, SERVER_CLIENT_SECRET: secret }));
  // After each file-system call your code made: any new file there that other accounts could read.
  const exposed = snapshots.flatMap(({ after, files }) =>
    files.filter((seen) => (seen.mode & 0o077) !== 0 && !(seen.file === '.env' && seen.ino === before)).map((seen) => `${seen.file} was ${seen.mode.toString(8)} after ${after}`),
  );
  const { mode, ino } = statSync(envFile);
  const text = readFileSync(envFile, 'utf8');
  say.answer(`ls -l .env   → ${(mode & 0o777).toString(8)}${ino === before ? ', the same file as before (written in place)' : ', a new file in its place'}`);
  if (exposed.length > 0) say.note(`Readable by other accounts while your code ran: ${exposed.join('; ')}.`);
  say.send('cat .env   (another account on the machine)');
  say.answer((mode & 0o077) === 0 ? 'cat: .env: Permission denied   (mode 600: only your account may read it)' : text.split('\n').find((line) => line.includes(secret)) ?? text.split('\n')[0]!);
  expect(text, 'your writeEnvFile did not write the secret into .env').toContain(secret);
  expect((mode & 0o777).toString(8), 'other accounts can read .env, client secret included: it must be 600').toBe('600');
  expect(exposed, 'the client secret sat in a file other accounts could read, for a moment: create the file with mode 0600 from its first byte').toEqual([]);
  expect(ino, 'your code wrote the secret into the old .env in place, while that file was readable by other accounts (mode 644): write a new file, then rename it over .env').not.toBe(before);
});
