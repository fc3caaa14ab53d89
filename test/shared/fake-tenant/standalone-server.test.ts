// The server around the tenant (fetch Request in, Response out) and the local certificates it serves.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { BRIDGE_HEADER, serveTenant, type RunningServer } from '#shared/fake-tenant/transports/server.ts';
import { httpsRequest } from './fixtures/https-client.ts';

/** A stand-in tenant that describes the request it received. */
const echoTenant = {
  async handle(request: Request): Promise<Response> {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('set-cookie', 'first=1; Path=/; HttpOnly');
    headers.append('set-cookie', 'second=2; Path=/; Secure');
    const body = request.method === 'GET' ? '' : await request.text();
    const received = { method: request.method, url: request.url, bridge: request.headers.get(BRIDGE_HEADER), body };
    return new Response(JSON.stringify(received), { status: 201, headers });
  },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-certs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('serveTenant', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveTenant(echoTenant);
  });
  afterAll(() => server.close());

  test('turns an HTTP request into a Request on its own origin and writes the Response back', async () => {
    const response = await fetch(`${server.url}/tenant/oauth2/v2.0/token?x=1`, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${server.url}/tenant/oauth2/v2.0/token?x=1`,
      bridge: null,
      body: 'grant_type=client_credentials',
    });
    expect(response.headers.getSetCookie(), 'each cookie is its own Set-Cookie header').toEqual([
      'first=1; Path=/; HttpOnly',
      'second=2; Path=/; Secure',
    ]);
  });

  test('a bridged request is built with the URL it was sent to, without the bridge header', async () => {
    const original = 'https://graph.microsoft.com/v1.0/me?$select=displayName';
    const response = await fetch(`${server.url}/v1.0/me`, { headers: { [BRIDGE_HEADER]: original } });
    expect(await response.json()).toMatchObject({ url: original, bridge: null });
  });

  test('refuses a bridge header that is not an http(s) URL', async () => {
    const response = await fetch(server.url, { headers: { [BRIDGE_HEADER]: 'file:///etc/passwd' } });
    expect(response.status).toBe(400);
  });

  test('refuses a body over 1 MiB with 413', async () => {
    const response = await fetch(server.url, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });
});

describe('ensureDevCertificates', () => {
  test('a localhost certificate for localhost, 127.0.0.1 and ::1, signed by the local CA', async () => {
    const certificates = await ensureDevCertificates(dir);
    const leaf = new X509Certificate(certificates.cert);
    const ca = new X509Certificate(certificates.ca);
    expect(ca.ca).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(await readFile(certificates.caCertPath, 'utf8')).toBe(certificates.ca);
  });

  test.skipIf(process.platform === 'win32')('private keys are readable by their owner only', async () => {
    const certificates = await ensureDevCertificates(dir);
    expect((await stat(certificates.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
  });

  test('reuses the certificates while they are valid, and replaces an expired one', async () => {
    const first = await ensureDevCertificates(dir);
    expect(await ensureDevCertificates(dir)).toEqual(first);

    const expired = await generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256',
      keyType: 'ec',
      notBeforeDate: new Date(Date.now() - 10 * 86_400_000),
      notAfterDate: new Date(Date.now() - 86_400_000),
    });
    await writeFile(first.certPath, expired.cert);
    const renewed = await ensureDevCertificates(dir);
    expect(renewed.cert).not.toBe(expired.cert);
    expect(renewed.ca, 'the CA (which a person may have trusted) is kept').toBe(first.ca);
    expect(new X509Certificate(renewed.cert).verify(new X509Certificate(first.ca).publicKey)).toBe(true);
  });

  test('a Node client that trusts the CA accepts the server at https://localhost', async () => {
    const { ca, key, cert } = await ensureDevCertificates(dir);
    const server = await serveTenant(echoTenant, { host: 'localhost', tls: { key, cert } });
    try {
      expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
      const response = await httpsRequest(`${server.url}/ok`, { ca });
      expect(response.status).toBe(201);
      const otherCa = await generate([{ name: 'commonName', value: 'someone else' }], { algorithm: 'sha256', keyType: 'ec' });
      await expect(httpsRequest(`${server.url}/ok`, { ca: otherCa.cert }), 'a client that does not trust the CA').rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
