// Is the server on this port this workbook's fake tenant? A hand run reuses a tenant already running
// (`npm run tenant` in another terminal) only when it can prove it is its own, because lab code trusts
// exactly one local CA (NODE_EXTRA_CA_CERTS): another copy of the workbook runs a tenant with a CA of its
// own, and any other program there would answer the lab's sign-in requests with something else.
// The proof has two parts, neither of which a stray process could give by accident:
//   1. TLS: the server presents a certificate this workbook's CA signed (`ca` below is the only root
//      trusted), so it holds .workbook/certs/localhost.key, a file readable by you alone;
//   2. it serves the tenant's discovery document for this port (lab 04's server has the same certificate,
//      but no discovery document).
import type { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export type PortHolder =
  /** Nobody listens: start a tenant there. */
  | { holder: 'nobody' }
  /** This workbook's fake tenant: reuse it. */
  | { holder: 'our tenant' }
  /** Something else, in a few words for the person who must stop it ("a server whose certificate ..."). */
  | { holder: 'another program'; what: string };

export interface IdentifyOptions {
  /** The workbook's local CA (PEM): the only certificate authority the proof trusts. */
  ca: string;
  tenantId: string;
  /** How long a listener may take to answer (default 3 s): one that never answers is not ours. */
  timeoutMs?: number;
}

/** Who holds `port` on this machine's loopback: nobody, this workbook's fake tenant, or another program. */
export async function identifyPortHolder(port: number, options: IdentifyOptions): Promise<PortHolder> {
  const onIpv4 = await askForDiscovery(port, options);
  if (onIpv4.holder !== 'nobody') return onIpv4;
  // Our tenant listens on 127.0.0.1 only; a client that resolves localhost to ::1 would reach whatever
  // listens there instead.
  return (await listensOn('::1', port)) ? { holder: 'another program', what: 'a program listening on [::1] (IPv6 localhost)' } : onIpv4;
}

async function askForDiscovery(port: number, { ca, tenantId, timeoutMs = 3_000 }: IdentifyOptions): Promise<PortHolder> {
  const presented = await presentedCertificate(port, ca, timeoutMs);
  if (presented.kind === 'nobody') return { holder: 'nobody' };
  if (presented.kind === 'silent') return { holder: 'another program', what: `a program that did not answer within ${timeoutMs / 1000} s` };
  if (presented.kind === 'not https') return { holder: 'another program', what: `a program that does not speak HTTPS as the tenant does (${presented.code})` };
  if (!presented.authorized) return { holder: 'another program', what: describeStranger(presented.peer) };
  const issuer = await discoveryIssuer(port, `/${tenantId}/v2.0/.well-known/openid-configuration`, ca, timeoutMs);
  if (issuer === `https://localhost:${port}/${tenantId}/v2.0`) return { holder: 'our tenant' };
  return { holder: 'another program', what: "a server with this workbook's certificate that is not its fake tenant (lab 04's server, with SERVER_BASE_URL on this port?)" };
}

type Presented =
  | { kind: 'nobody' }
  | { kind: 'silent' }
  | { kind: 'not https'; code: string }
  | { kind: 'tls'; authorized: boolean; peer: X509Certificate | undefined };

/** The TLS handshake alone (tls.connect, which no HTTP interceptor wraps): whether `ca` vouches for the listener. */
function presentedCertificate(port: number, ca: string, timeoutMs: number): Promise<Presented> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca, rejectUnauthorized: false });
    const done = (result: Presented) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ kind: 'silent' }));
    socket.once('secureConnect', () => done({ kind: 'tls', authorized: socket.authorized, peer: socket.getPeerX509Certificate() }));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? { kind: 'nobody' } : { kind: 'not https', code: error.code ?? error.message }));
  });
}

/** The issuer of the discovery document at `path` on the same listener (127.0.0.1), trusting `ca` only; undefined for anything else. */
function discoveryIssuer(port: number, path: string, ca: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, servername: 'localhost', path, ca, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024) req.destroy(); // no discovery document is that big
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(res.statusCode === 200 ? issuerOf(Buffer.concat(chunks).toString('utf8')) : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

function issuerOf(text: string): string | undefined {
  try {
    const document = JSON.parse(text) as { issuer?: unknown };
    return typeof document.issuer === 'string' ? document.issuer : undefined;
  } catch {
    return undefined;
  }
}

/** A certificate this workbook's CA did not sign, described by who issued it and its SHA-256 fingerprint. */
function describeStranger(peer: X509Certificate | undefined): string {
  if (!peer) return 'a server that presents no certificate';
  const issuer = peer.issuer.split('\n').find((part) => part.startsWith('CN='))?.slice(3) ?? 'an unknown issuer';
  const sameName = issuer === 'MCP Workbook local CA' ? ' (the fake tenant of another copy of this workbook: its CA is not yours)' : '';
  return `a server whose certificate was issued by "${issuer}"${sameName}, fingerprint ${peer.fingerprint256.slice(0, 23)}..., not by this workbook's CA`;
}

/** Whether anything accepts a TCP connection on `host:port` (an address this machine lacks: no). */
function listensOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Whether the tenant at `origin` (proved ours) accepts `redirectUri` for `clientId`: its sign-in page
 * comes up (200), instead of Entra's AADSTS50011 page for a redirect URI nobody registered.
 */
export function acceptsRedirectUri(origin: string, options: { ca: string; tenantId: string; clientId: string; redirectUri: string }): Promise<boolean> {
  const query = new URLSearchParams({ client_id: options.clientId, redirect_uri: options.redirectUri, response_type: 'code', scope: 'openid' });
  const url = new URL(`/${options.tenantId}/oauth2/v2.0/authorize?${query}`, origin);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: options.ca, agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy(new Error(`the fake tenant at ${origin} did not answer`)));
    req.once('error', reject);
    req.end();
  });
}
