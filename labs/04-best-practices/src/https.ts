// HTTPS for the remote server. Every token, code and session id this server handles crosses the wire:
// without TLS anyone on the path reads them. In development the server makes itself a certificate
// (signed by the workbook's local CA, kept out of git in .workbook/certs/); in production it refuses to
// start on plain HTTP at all, and HSTS tells browsers never to try plain HTTP with it again.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { RequestHandler } from 'express';
import { ensureDevCertificates } from '#shared/fake-tenant/certificates.ts';

export type WebServer = HttpServer | HttpsServer;

export interface TransportSecurity {
  /** NODE_ENV=production: plain HTTP is refused. */
  production: boolean;
  /** Where the development certificate lives (default: .workbook/certs/). */
  certificatesDir?: string;
}

export class InsecureServerError extends Error {
  override name = 'InsecureServerError';
}

/** One year, in seconds: what browsers and the HSTS preload list expect. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

// TODO(04.1): An https:// base URL gets an HTTPS server with the development certificate; plain HTTP is for development only.
export async function createWebServer(baseUrl: URL, security: TransportSecurity): Promise<WebServer> {
  return createHttpServer(); // plain HTTP, whatever the base URL says: see step 1 in the README
}

// TODO(04.1): Strict-Transport-Security on every answer sent over HTTPS.
export function hsts(): RequestHandler {
  return (_req, _res, next) => next();
}
