// HTTPS for the remote server. Every token, code and session id this server handles crosses the wire:
// without TLS anyone on the path reads them. In production the server presents a certificate of its own
// (SERVER_TLS_* in the settings), or a gateway in front ends TLS and says so in X-Forwarded-Proto; in
// development it makes itself one (signed by the workbook's local CA, kept out of git in .workbook/certs/).
// It never serves plain HTTP in production, and HSTS tells browsers never to try plain HTTP with it again.
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Express, RequestHandler } from 'express';
import { ensureDevCertificates } from '#shared/dev-certificates.ts';
import type { ServerCertificate } from '#shared/settings.ts';

export type WebServer = HttpServer | HttpsServer;

export interface TransportSecurity {
  /** NODE_ENV=production: plain HTTP is refused. */
  production: boolean;
  /** The server's own certificate (SERVER_TLS_CERT_FILE and _KEY_FILE, or SERVER_TLS_PFX_FILE). */
  certificate?: ServerCertificate;
  /** SERVER_TRUST_PROXY is set: a gateway in front ends TLS when the server has no certificate of its own. */
  behindGateway?: boolean;
  /** Where the development certificate lives (default: .workbook/certs/). */
  certificatesDir?: string;
}

export class InsecureServerError extends Error {
  override name = 'InsecureServerError';
}

/** One year, in seconds: what browsers and the HSTS preload list expect. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** What node:https needs to present a certificate: PEM certificate and key, or a PKCS#12 bundle. */
export type TlsCredentials = { cert: string | Buffer; key: string | Buffer } | { pfx: Buffer; passphrase?: string };

/**
 * The certificate this server presents: its own, from the settings; none when a trusted gateway in front
 * ends TLS (the hop behind it is a private network); otherwise, outside production, the development one.
 */
export async function tlsCredentials(security: TransportSecurity): Promise<TlsCredentials | undefined> {
  const own = security.certificate;
  if (own && 'pfxFile' in own) {
    return { pfx: await readSetting(own.pfxFile, 'SERVER_TLS_PFX_FILE'), ...(own.passphrase ? { passphrase: own.passphrase } : {}) };
  }
  if (own) return { cert: await readSetting(own.certFile, 'SERVER_TLS_CERT_FILE'), key: await readSetting(own.keyFile, 'SERVER_TLS_KEY_FILE') };
  if (security.behindGateway) return undefined;
  if (security.production) {
    // The development certificate is signed by this machine's own CA: no client elsewhere trusts it.
    throw new InsecureServerError(
      'Refusing to serve the development certificate in production: set SERVER_TLS_CERT_FILE and SERVER_TLS_KEY_FILE ' +
        '(or SERVER_TLS_PFX_FILE) to a certificate of your own, or SERVER_TRUST_PROXY when a gateway in front ends TLS.',
    );
  }
  const { cert, key } = await ensureDevCertificates(security.certificatesDir);
  return { cert, key };
}

async function readSetting(path: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
  }
}

/**
 * Behind a gateway, the request the server sees comes from the gateway: only the gateway knows whether
 * the client used https (X-Forwarded-Proto) and who it was (X-Forwarded-For). Express believes those
 * headers from the peers `trust proxy` names, and from nobody by default: any client can send them.
 */
export function trustGateway(app: Express, trustProxy: number | string[] | undefined): void {
  app.set('trust proxy', trustProxy ?? false); // a hop count or addresses, never `true` (everyone)
}

// TODO(04.1): An https:// base URL gets an HTTPS server with the certificate tlsCredentials() gives (or plain HTTP behind the gateway that ended TLS); plain HTTP is for development only.
export async function createWebServer(baseUrl: URL, security: TransportSecurity): Promise<WebServer> {
  // #region solution
  // #starter return createHttpServer(); // plain HTTP, whatever the base URL says: see step 1 in the README
  if (baseUrl.protocol === 'https:') {
    const credentials = await tlsCredentials(security);
    // No certificate here: a trusted gateway ended TLS, and the hop behind it is a private network.
    if (!credentials) return createHttpServer();
    return createHttpsServer({ ...credentials, minVersion: 'TLSv1.2' });
  }
  if (security.production) {
    throw new InsecureServerError(
      `Refusing to serve plain HTTP in production (SERVER_BASE_URL is ${baseUrl.origin}): tokens and session ids would cross the network in clear text. ` +
        'Set SERVER_BASE_URL to an https:// URL, or put a TLS-terminating gateway in front and give its https URL.',
    );
  }
  return createHttpServer();
  // #endregion
}

// TODO(04.1): Strict-Transport-Security on every answer sent over HTTPS.
export function hsts(): RequestHandler {
  // #region solution
  // #starter return (_req, _res, next) => next();
  return (req, res, next) => {
    // Only over TLS: a browser ignores HSTS on plain HTTP, where an attacker could have added it.
    // req.secure is TLS to this server, or to a trusted gateway that says so (trustGateway, above).
    if (req.secure) res.setHeader('Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`);
    next();
  };
  // #endregion
}
