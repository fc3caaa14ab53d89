// Who holds a port (identify.ts): a hand run reuses a tenant only when it proves to be this workbook's own.
// Each impostor here is a real server on a loopback port: another copy's tenant (same code, its own CA),
// a plain-HTTP server, a server with this workbook's own certificate that is not the tenant, one that
// never answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDevCertificates, type DevCertificates } from '#shared/dev-certificates.ts';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { serveTenant } from '#shared/fake-tenant/transports/server.ts';
import { acceptsRedirectUri, identifyPortHolder } from '#shared/fake-tenant/transports/identify.ts';
import { startStandaloneTenant, type StandaloneTenant } from '#shared/fake-tenant/transports/standalone.ts';

let ours: DevCertificates;
let otherCopy: DevCertificates;
let otherDir: string;
let tenant: StandaloneTenant;
let foreignTenant: FakeTenant;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  otherDir = await mkdtemp(join(tmpdir(), 'workbook-other-copy-'));
  [ours, otherCopy] = await Promise.all([ensureDevCertificates(), ensureDevCertificates(otherDir)]);
  tenant = await startStandaloneTenant({ port: 0, tenant: await FakeTenant.create({ reuseSigningKeys: true }), serverBaseUrls: ['http://localhost:3999'] });
  closers.push(() => tenant.close());
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  tenant?.tenant.close();
  foreignTenant?.close();
  await rm(otherDir, { recursive: true, force: true });
});

const identify = (port: number, timeoutMs = 3_000) => identifyPortHolder(port, { ca: ours.ca, tenantId: TENANT_ID, timeoutMs });
const portOf = (url: string) => Number(new URL(url).port);

/** Listens on a free loopback port; after the file, closes it and every connection it still holds. */
async function listen(server: Server | TcpServer): Promise<number> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

describe('who holds the tenant port', () => {
  test("this workbook's tenant: proved by its certificate (our CA) and its discovery document", async () => {
    expect(await identify(portOf(tenant.url))).toEqual({ holder: 'our tenant' });
  });

  test("another copy of the workbook's tenant (the same code, its own CA) is not ours, and the answer says so", async () => {
    foreignTenant = await FakeTenant.create({ reuseSigningKeys: true });
    const server = await serveTenant(foreignTenant, { host: 'localhost', tls: { key: otherCopy.key, cert: otherCopy.cert } });
    closers.push(() => server.close());
    const found = await identify(portOf(server.url));
    expect(found.holder).toBe('another program');
    expect(found.holder === 'another program' && found.what, 'names the issuer and says why').toMatch(/MCP Workbook local CA.*another copy of this workbook/);
  });

  test('a server with this workbook\'s own certificate that is not the tenant (lab 04\'s server, say) is not it either', async () => {
    const port = await listen(createHttpsServer({ key: ours.key, cert: ours.cert }, (_req, res) => res.writeHead(404).end('{}')));
    const found = await identify(port);
    expect(found.holder).toBe('another program');
    expect(found.holder === 'another program' && found.what).toMatch(/not its fake tenant/);
  });

  test('a plain-HTTP server, and a server that never answers, are not it', async () => {
    const plain = await listen(createHttpServer((_req, res) => res.end('hello')));
    expect((await identify(plain)).holder).toBe('another program');
    const silent = await listen(createTcpServer(() => {})); // accepts, never speaks
    const found = await identify(silent, 300);
    expect(found.holder === 'another program' && found.what).toMatch(/did not answer/);
  });

  test('a free port: nobody', async () => {
    const probe = createTcpServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
    await new Promise((resolve) => probe.close(resolve));
    expect(await identify(port)).toEqual({ holder: 'nobody' });
  });

  test("a tenant tells whether it accepts a lab server's redirect URI (the callback it registered)", async () => {
    const ask = (redirectUri: string) => acceptsRedirectUri(tenant.url, { ca: ours.ca, tenantId: TENANT_ID, clientId: APPS.remoteServer, redirectUri });
    expect(await ask('http://localhost:3999/auth/callback'), 'registered when it started (serverBaseUrls)').toBe(true);
    expect(await ask('http://localhost:3998/auth/callback'), 'another port: AADSTS50011').toBe(false);
  });
});
