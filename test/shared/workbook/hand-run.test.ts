// `npm run lab -- NN` refuses to start on a busy machine in words that say what to do, and reuses a
// tenant only once it has proved to be this workbook's own: scripts/lab.ts for real, against the reference
// solutions, with the ports of a busy machine played by servers this test starts on free loopback ports.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';
import { freePort, refusesConnections, startHandRun } from '../hand-run-process.ts';

const closers: Array<() => Promise<unknown>> = [];
let otherDir: string;

beforeAll(async () => {
  otherDir = await mkdtemp(join(tmpdir(), 'workbook-hand-run-'));
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await rm(otherDir, { recursive: true, force: true });
});

async function listenOnFreePort(server: Server | ReturnType<typeof createHttpsServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** `npm run lab -- <lab>` against the solutions; killed after the file if it is still running. */
function handRun(lab: string, env: Record<string, string>) {
  const run = startHandRun(lab, env);
  closers.push(async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return run;
}

describe.concurrent('npm run lab on a busy machine', () => {
  test('another copy of the workbook\'s tenant on the tenant port is refused, with the fix (FAKE_TENANT_PORT)', async () => {
    const otherCopy = await ensureDevCertificates(otherDir);
    const port = await listenOnFreePort(createHttpsServer({ key: otherCopy.key, cert: otherCopy.cert }, (_req, res) => res.end('{}')));
    const run = handRun('05', { FAKE_TENANT_PORT: String(port), SERVER_BASE_URL: `http://localhost:${await freePort()}` });
    expect(await run.exited).toBe(1);
    const output = run.output();
    expect(output).toContain(`Port ${port} is in use, and not by this workbook's fake tenant`);
    expect(output, 'it says whose certificate answered').toMatch(/another copy of this workbook/);
    expect(output, 'and how to move the tenant').toMatch(/FAKE_TENANT_PORT=\d+ npm run lab -- 05/);
    expect(output, 'a message, not a stack').not.toMatch(/\n\s+at /);
  });

  test('a taken lab server port is refused, naming the setting that moves it (SERVER_BASE_URL)', async () => {
    const port = await listenOnFreePort(createServer());
    const run = handRun('05', { FAKE_TENANT_PORT: String(await freePort()), SERVER_BASE_URL: `http://localhost:${port}` });
    expect(await run.exited).toBe(1);
    const output = run.output();
    expect(output).toContain(`Port ${port} is already in use`);
    expect(output).toMatch(/SERVER_BASE_URL=http:\/\/localhost:\d+ npm run lab -- 05/);
    expect(output, 'no raw EADDRINUSE, no stack').not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  test('this workbook\'s own tenant on the port is reused, once proved; stopping the hand run stops its server', async () => {
    const tenant: StandaloneTenant = await startStandaloneTenant({ port: 0, tenant: await FakeTenant.create({ reuseSigningKeys: true }) });
    closers.push(() => tenant.close());
    const serverPort = await freePort();
    const run = handRun('05', { FAKE_TENANT_PORT: new URL(tenant.url).port, SERVER_BASE_URL: `http://localhost:${serverPort}` });
    const output = await run.reached(/Press Ctrl\+C to stop/);
    expect(output).toContain(`Using the fake tenant already running on ${tenant.url}`);
    expect(await refusesConnections(serverPort), 'the lab server listens').toBe(false);
    run.child.kill('SIGTERM');
    expect(await run.exited, 'the hand run ends as a SIGTERM ends a process').toBe(143);
    expect(await refusesConnections(serverPort), 'and its lab server is gone with it').toBe(true);
    expect(await refusesConnections(Number(new URL(tenant.url).port)), 'the reused tenant is not its to stop').toBe(false);
  });

  test('a reused tenant that does not know the lab server\'s callback is refused, with the fix', async () => {
    const tenant = await startStandaloneTenant({ port: 0, tenant: await FakeTenant.create({ reuseSigningKeys: true }) });
    closers.push(() => tenant.close());
    const base = `http://localhost:${await freePort()}`;
    const run = handRun('03', { FAKE_TENANT_PORT: new URL(tenant.url).port, SERVER_BASE_URL: base });
    expect(await run.exited).toBe(1);
    const output = run.output();
    expect(output).toContain(`does not accept sign-ins for ${base}/auth/callback`);
    expect(output).toContain(`SERVER_BASE_URL=${base} npm run tenant`);
  });
});
