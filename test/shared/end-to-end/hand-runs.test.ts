// The scripted hand runs of labs 03 and 04, end to end against the reference solutions, as a learner runs
// them (`npm run lab -- NN`): the fake tenant, the lab's script, the server it starts, the sign-ins through
// the tenant's page. Then lab 04's guide followed literally: a client of your own signs in, `npm run lab`
// is stopped with Ctrl+C and started again, and the same client, reconnecting, needs no new sign-in and
// gets its profile from Graph: the server's store and the tenant's keys and grants outlived the restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { savedStatePath } from '#shared/fake-tenant/transports/standalone.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';
import { freePort, refusesConnections, startHandRun } from '../hand-run-process.ts';

const TSX = import.meta.resolve('tsx');
const OWN_CLIENT = fileURLToPath(new URL('./fixtures/own-client.ts', import.meta.url));
/** Nothing a hand run prints may hold a token, a code or a state. */
const SECRETS = /eyJ[\w-]+\.eyJ|[?&](code|state)=|1\.A[\w-]{20}/;

const started: ChildProcess[] = [];
const tenantPorts: number[] = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-hand-runs-'));
});
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(tenantPorts.map((port) => rm(savedStatePath(port), { force: true })));
  await rm(dir, { recursive: true, force: true });
});

/** `npm run lab -- <lab>` against the solutions, on ports of its own; stopped after the file if it is still running. */
function handRun(lab: string, env: Record<string, string>) {
  const run = startHandRun(lab, env);
  started.push(run.child);
  return run;
}

/** The client of your own: one JSON line per call (see fixtures/own-client.ts). */
async function ownClient(mcpUrl: string) {
  const { caCertPath } = await ensureDevCertificates();
  const child = spawn(process.execPath, ['--import', TSX, OWN_CLIENT, mcpUrl], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: caCertPath },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  started.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string) as { signIns: number; isError: boolean; text: string };
  return { next, again: () => child.stdin!.write('again\n'), stop: () => child.kill() };
}

// Each hand run starts three processes under tsx and signs people in: on a busy machine, tens of seconds.
describe.concurrent('the scripted hand runs, against the solutions', { timeout: 180_000 }, () => {
  test('lab 03: sign-in through the tenant\'s page, a tool call, a refresh, a restart that empties the in-memory store', async () => {
    const tenantPort = await freePort();
    tenantPorts.push(tenantPort);
    const run = handRun('03', { FAKE_TENANT_PORT: String(tenantPort), SERVER_BASE_URL: `http://localhost:${await freePort()}` });
    const output = await run.reached(/== Your turn[\s\S]*Ctrl\+C stops it/);
    expect(output).toMatch(/the sign-in page; picked megan@contoso\.onmicrosoft\.com, typed the password/);
    expect(output).toMatch(/getUserDetails: Megan Bowen \(megan@contoso\.onmicrosoft\.com\)/);
    expect(output).toMatch(/The old one now gets 401/);
    expect(output).toMatch(/The session token now gets 401: this lab's store lives in memory/);
    expect(output).toMatch(/\(1 more sign-in\)/);
    expect(output, 'no token, code or state in what the hand run prints').not.toMatch(SECRETS);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
  });

  test('lab 03 against a real tenant\'s settings: the script signs nobody in, and says what to open instead', async () => {
    const serverPort = await freePort();
    const script = join(REPO_ROOT, 'solutions', '03-confidential-client', 'src', 'hand-run.ts');
    const child = spawn(process.execPath, ['--import', TSX, script], {
      cwd: REPO_ROOT,
      // Live settings that look real; nothing is sent to Entra until someone signs in, and nobody does.
      env: {
        PATH: process.env.PATH ?? '',
        WORKBOOK_MODE: 'live',
        ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
        SERVER_CLIENT_ID: '66666666-7777-4888-9999-aaaaaaaaaaaa',
        SERVER_CLIENT_SECRET: 'Abc8Q~a-secret-that-looks-like-one-0123456',
        SERVER_BASE_URL: `http://localhost:${serverPort}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let output = '';
    const reached = new Promise<void>((resolve, reject) => {
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('Ctrl+C stops the server')) resolve();
        });
      }
      child.once('exit', (code) => reject(new Error(`the script exited (${code}):\n${output}`)));
    });
    await reached;
    expect(output).toContain(`sign in yourself: connect the MCP Inspector`);
    expect(output).toContain(`http://localhost:${serverPort}/mcp`);
    expect(output, 'no scripted browser against a real tenant').not.toMatch(/browser:|== 1\./);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await refusesConnections(serverPort), 'its server stopped with it').toBe(true);
  });

  test('lab 04: roles, the audit log, a restart without a new sign-in; then Ctrl+C and npm run lab again keep a client\'s session and Graph working', async () => {
    const tenantPort = await freePort();
    tenantPorts.push(tenantPort);
    const serverPort = await freePort();
    const env = {
      FAKE_TENANT_PORT: String(tenantPort),
      SERVER_BASE_URL: `https://localhost:${serverPort}`,
      TOKEN_STORE_PATH: join(dir, 'lab-04', 'token-store.json'),
    };
    const first = handRun('04', env);
    const output = await first.reached(/== Your turn[\s\S]*Ctrl\+C stops it/);
    expect(output).toMatch(/Strict-Transport-Security: max-age=31536000; includeSubDomains/);
    expect(output, "Megan (MCP.Reader) sees her tool only").toMatch(/tools\/list: getUserDetails\n/);
    expect(output).toMatch(/endUserSessions: refused: MCP error -32003/);
    expect(output, 'Adele (MCP.Admin) sees both').toMatch(/tools\/list: getUserDetails, endUserSessions/);
    expect(output, 'the refusal is in the audit log').toMatch(/audit \| .*"event":"role_denied"/);
    expect(output).toMatch(/connected with the token it had: 0 new sign-ins/);
    expect(output).toMatch(/No token, no name: every line is sealed/);
    expect(output).toMatch(/None of its lines holds a token or a secret/);
    expect(output, 'no token, code or state in what the hand run prints').not.toMatch(SECRETS);

    // Lab 04's guide, step 5: a client of your own signs in; Ctrl+C; npm run lab -- 04 again; reconnect.
    const mine = await ownClient(`https://localhost:${serverPort}/mcp`);
    const before = await mine.next();
    expect(before, 'your client signs Megan in and gets her profile').toMatchObject({ signIns: 1, isError: false });
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(await refusesConnections(serverPort), 'Ctrl+C stopped the server').toBe(true);
    expect(await refusesConnections(tenantPort), 'and the tenant').toBe(true);
    expect((await stat(savedStatePath(tenantPort))).mode & 0o777, "the tenant's saved state is readable by its owner alone").toBe(0o600);

    const second = handRun('04', env);
    await second.reached(/== Your turn/);
    mine.again();
    const after = await mine.next();
    expect(after.isError, `after npm run lab -- 04 again, your client's call works: ${after.text}`).toBe(false);
    expect(after.text).toContain('Megan Bowen');
    expect(after.signIns, 'with no new sign-in: the session token still works, and Graph accepts the token the server kept').toBe(1);
    mine.stop();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(143);
  });
});
