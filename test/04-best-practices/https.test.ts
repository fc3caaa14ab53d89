// Step 04.1: HTTPS with the development certificate or the server's own, HSTS (behind a trusted gateway
// too), and no plain HTTP in production.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { expect } from 'vitest';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import type { Settings } from '#shared/settings.ts';
import { CHECK_TENANT, requireSteps, signIn, startLabServer, withBaseUrl } from './helpers.ts';
import lab from './lab.ts';

const { tenant } = useFakeTenant(CHECK_TENANT);
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
  requireSteps('04.1'); // an untouched createWebServer serves plain HTTP: say so, not with a TLS error
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
    expect(answer.status, 'the protected-resource metadata is served over https (200)').toBe(200);
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
  requireSteps('04.1');
  const { startServer } = await importTarget<typeof import('../../labs/04-best-practices/src/server.ts')>(lab, 'src/server.ts');
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

/** The certificate a TLS server presents (a raw TLS socket: msw's https interception does not show it). */
function peerFingerprint(url: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), servername: 'localhost', rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

type HttpsModule = typeof import('../../labs/04-best-practices/src/https.ts');

/** The settings with an https base URL and more for the server (a certificate, a trusted proxy). */
function serverSettings(baseUrl: string, server: Partial<Settings['server']>): Settings {
  const settings = withBaseUrl(baseUrl);
  return { ...settings, server: { ...settings.server, ...server } };
}

check('04.1.4', async () => {
  requireSteps('04.1');
  // A certificate of the server's own, signed by a CA that is not the workbook's: what production brings.
  const dir = await mkdtemp(join(tmpdir(), 'lab04-own-certificate-'));
  try {
    const own = await ensureDevCertificates(dir);
    const workbookCa = (await ensureDevCertificates()).ca;
    expect(own.ca, 'the test made a CA of its own').not.toBe(workbookCa);
    const server = await startLabServer(tenant, { settings: serverSettings('https://localhost:3443', { certificate: { certFile: own.certPath, keyFile: own.keyPath } }) });
    try {
      const metadata = new URL('/.well-known/oauth-protected-resource', server.baseUrl);
      const answer = await tlsGet(metadata, own.ca).catch((error: Error) => {
        throw new Error(`a TLS client that trusts only the certificate's own CA could not connect (${error.message}): with SERVER_TLS_CERT_FILE and SERVER_TLS_KEY_FILE set, serve that certificate (tlsCredentials, step 1)`);
      });
      expect(await peerFingerprint(metadata), 'the server presents the certificate SERVER_TLS_CERT_FILE names, not the development one').toBe(new X509Certificate(own.cert).fingerprint256);
      expect(['TLSv1.2', 'TLSv1.3'], `TLS 1.2 or later (got ${answer.protocol})`).toContain(answer.protocol);
      expect(String(answer.headers['strict-transport-security'] ?? ''), 'HSTS with your own certificate too').toMatch(/max-age=\d+; includeSubDomains/);
    } finally {
      await server.close();
    }

    // A file that cannot be read stops the start, naming the setting (never a server without TLS).
    const missing = join(dir, 'no-such.crt');
    const refused = await startLabServer(tenant, { settings: serverSettings('https://localhost:3443', { certificate: { certFile: missing, keyFile: own.keyPath } }) }).then(
      async (started) => {
        await started.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refused, `SERVER_TLS_CERT_FILE names ${missing}, which does not exist: startServer fails instead of listening`).toBeInstanceOf(Error);
    expect((refused as Error).message, 'the message names the setting').toContain('SERVER_TLS_CERT_FILE');

    // A PKCS#12 bundle goes to node:https as it is, with its passphrase.
    const { tlsCredentials } = await importTarget<HttpsModule>(lab, 'src/https.ts');
    const pfxFile = join(dir, 'server.pfx');
    const bundle = Buffer.from(`a pfx bundle ${Math.random()}`);
    await writeFile(pfxFile, bundle);
    const credentials = (await tlsCredentials({ production: true, certificate: { pfxFile, passphrase: 'open sesame' } })) as { pfx?: Buffer; passphrase?: string } | undefined;
    expect(credentials?.pfx && Buffer.compare(credentials.pfx, bundle) === 0, 'SERVER_TLS_PFX_FILE: the bundle is what node:https gets as `pfx`').toBe(true);
    expect(credentials?.passphrase, 'with SERVER_TLS_PFX_PASSPHRASE as its `passphrase`').toBe('open sesame');

    // Production with neither a certificate of its own nor a gateway: no quiet fallback to the development one.
    const fallback = await tlsCredentials({ production: true, certificatesDir: dir }).then(() => undefined, (error: unknown) => error);
    expect(fallback instanceof Error && fallback.name, 'in production, with no SERVER_TLS_* and no gateway, tlsCredentials refuses (InsecureServerError) instead of serving the development certificate').toBe('InsecureServerError');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

check('04.1.5', async () => {
  requireSteps('04.1');
  /** HSTS on a plain-HTTP request that says, in X-Forwarded-Proto, how it reached the gateway. */
  const forwarded = async (server: { baseUrl: string }, proto: string) => {
    const port = new URL(server.baseUrl).port;
    const answer = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource`, { headers: { 'x-forwarded-proto': proto } }).catch((error: Error) => {
      throw new Error(`a gateway could not reach the server over plain HTTP (${error.cause instanceof Error ? error.cause.message : error.message}): behind a trusted gateway with no certificate of its own, the server leaves TLS to the gateway (tlsCredentials gives none)`);
    });
    await answer.body?.cancel();
    return answer.headers.get('strict-transport-security');
  };

  // Behind a gateway that ended TLS: the public URL is https, the server has no certificate, and the
  // gateway (here on loopback, as SERVER_TRUST_PROXY=loopback says) forwards plain HTTP.
  for (const trustProxy of [['loopback'], 1] as const) {
    const gateway = await startLabServer(tenant, { settings: serverSettings('https://localhost:3443', { trustProxy: trustProxy as number | string[] }) });
    try {
      expect(
        (await forwarded(gateway, 'https')) ?? 'no Strict-Transport-Security header',
        `SERVER_TRUST_PROXY=${trustProxy}: the gateway says the client used https, so the request is secure and gets HSTS (trust the gateway, step 1)`,
      ).toMatch(/max-age=\d+; includeSubDomains/);
      expect(await forwarded(gateway, 'http'), 'the gateway says the client used plain HTTP: no HSTS').toBeNull();
    } finally {
      await gateway.close();
    }
  }

  // Nobody to trust, or a gateway elsewhere: the same header from the client itself changes nothing.
  for (const trustProxy of [undefined, ['10.0.1.0/24']]) {
    const server = await startLabServer(tenant, { settings: serverSettings('http://localhost:3000', trustProxy ? { trustProxy } : {}) });
    try {
      expect(
        await forwarded(server, 'https'),
        `SERVER_TRUST_PROXY ${trustProxy ? `names ${trustProxy.join(', ')}` : 'is unset'} and a client on 127.0.0.1 sends X-Forwarded-Proto: https itself: ` +
          'not secure, no HSTS (never trust every proxy; decide from req.secure, never from the header)',
      ).toBeNull();
    } finally {
      await server.close();
    }
  }
});
