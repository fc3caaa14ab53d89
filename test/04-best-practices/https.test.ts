// Step 04.1: HTTPS with the development certificate, HSTS, and no plain HTTP in production.
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { expect } from 'vitest';
import { ensureDevCertificates } from '#shared/fake-tenant/certificates.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { signIn, startLabServer, withBaseUrl } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant();
const check = checksFor(lab);

/** A GET over TLS that trusts only the workbook's local CA (as a client given NODE_EXTRA_CA_CERTS would). */
function tlsGet(url: URL, ca: string): Promise<{ status: number; headers: Record<string, unknown>; protocol: string | null; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method: 'GET' }, (res) => {
      const socket = res.socket as TLSSocket;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, protocol: socket.getProtocol(), authorized: socket.authorized }));
    });
    req.on('error', reject);
    req.end();
  });
}

check('04.1.1', async () => {
  const { ca } = await ensureDevCertificates();
  const server = await startLabServer(tenant, { settings: withBaseUrl('https://localhost:3443') });
  try {
    expect(server.baseUrl, 'an https base URL stays https').toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const metadata = new URL('/.well-known/oauth-protected-resource', server.baseUrl);
    const answer = await tlsGet(metadata, ca).catch((error: Error) => {
      throw new Error(`a TLS client could not talk to ${metadata.origin} (${error.message}): serve https with the development certificate (step 1)`);
    });
    expect(answer.authorized, 'the certificate is the development one, signed by the local CA').toBe(true);
    expect(['TLSv1.2', 'TLSv1.3'], `TLS 1.2 or later (got ${answer.protocol})`).toContain(answer.protocol);
    expect(answer.status).toBe(200);
    const sts = String(answer.headers['strict-transport-security'] ?? '');
    expect(sts, 'HSTS: a Strict-Transport-Security header').not.toBe('');
    expect(Number(/max-age=(\d+)/.exec(sts)?.[1] ?? 0), 'HSTS max-age of at least 180 days').toBeGreaterThanOrEqual(180 * 24 * 60 * 60);
    expect(sts, `HSTS covers the subdomains too: max-age=31536000; includeSubDomains (got "${sts}")`).toMatch(/;\s*includeSubDomains\b/i);
  } finally {
    await server.close();
  }

  // Development on plain HTTP: no HSTS there, where anyone on the path could have added the header.
  const plain = await startLabServer(tenant);
  try {
    const answer = await fetch(new URL('/.well-known/oauth-protected-resource', plain.baseUrl));
    await answer.body?.cancel();
    expect(
      answer.headers.get('strict-transport-security'),
      'an answer over plain HTTP carries Strict-Transport-Security: send HSTS only when req.secure (step 1 of the README)',
    ).toBeNull();
  } finally {
    await plain.close();
  }
});

check('04.1.2', async () => {
  const { startServer } = await importTarget<typeof import('../../solutions/04-best-practices/src/server.ts')>(lab, 'src/server.ts');
  const log = { info() {}, warn() {}, error() {} };
  const refused = await startServer({ settings: withBaseUrl('http://localhost:3000'), port: 0, production: true, log }).then(
    async (server) => {
      await server.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(refused, 'in production, startServer on an http:// base URL fails instead of listening').toBeInstanceOf(Error);
  const message = (refused as Error).message;
  expect(message, 'the message says plain HTTP is refused').toMatch(/plain HTTP|http:\/\//i);
  expect(message, 'and names the setting to change').toContain('SERVER_BASE_URL');
  expect(message, 'and what to use instead').toMatch(/https/);

  const development = await startServer({ settings: withBaseUrl('http://localhost:3000'), port: 0, production: false, log });
  await development.close(); // outside production, plain HTTP on loopback is allowed for development
});

check('04.1.3', async () => {
  // Lab 03's Origin check (step 6 there) guards the hardened server's MCP endpoints too: HTTPS does not
  // stop a page that DNS rebinding has pointed at your server.
  const server = await startLabServer(tenant);
  try {
    const token = (await signIn(tenant, server, USERS.megan)).saved!.access_token;
    const post = (origin?: string) =>
      fetch(server.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, ...(origin ? { origin } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
      });
    for (const origin of ['https://evil.example', 'null']) expect((await post(origin)).status, `Origin: ${origin} on the hardened server: 403`).toBe(403);
    const own = await post(new URL(server.baseUrl).origin);
    expect(own.status, "the server's own origin is served").toBe(200);
    await own.body?.cancel();
  } finally {
    await server.close();
  }
});
