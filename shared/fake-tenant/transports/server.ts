// The fake tenant as a real HTTP(S) server: each incoming request becomes a fetch `Request` for
// `tenant.handle()`, and its `Response` is written back. The standalone HTTPS tenant and the bridge
// for child processes are both this server.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the server needs from the tenant: the fetch-style handler. */
export interface TenantHandler {
  handle(request: Request): Promise<Response>;
}

export interface ServeOptions {
  host?: '127.0.0.1' | 'localhost';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string };
}

export interface RunningServer {
  /** The server's origin, e.g. `https://localhost:8443`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A bridged request (from a child process's msw, see register.ts) names the URL it was sent to, e.g.
 * `https://graph.microsoft.com/v1.0/me`, so the tenant builds issuers from the original host.
 */
export const BRIDGE_HEADER = 'x-fake-tenant-url';

const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function serveTenant(tenant: TenantHandler, options: ServeOptions = {}): Promise<RunningServer> {
  const server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // "localhost" is served on 127.0.0.1: never on a public interface.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    respond(tenant, origin, req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error('fake tenant: the request failed:', error);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: status === 500 ? 'server_error' : (error as Error).message }));
    });
  });
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a browser's keep-alive connections would hold close() open
      }),
  };
}

async function respond(tenant: TenantHandler, origin: string, req: IncomingMessage, res: ServerResponse) {
  const response = await tenant.handle(await toRequest(origin, req));
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie(); // each cookie stays its own header line
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function toRequest(origin: string, req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const url = requestUrl(origin, req, headers.get(BRIDGE_HEADER));
  headers.delete(BRIDGE_HEADER);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, { method: req.method, headers, body: hasBody ? await readBody(req) : undefined });
}

function requestUrl(origin: string, req: IncomingMessage, bridged: string | null): URL {
  if (bridged === null) return new URL(req.url ?? '/', origin);
  // Only a process on this machine may speak for another host.
  if (!LOOPBACK_PEERS.has(req.socket.remoteAddress ?? '')) throw new HttpError(403, 'bridged requests come from loopback only');
  if (!URL.canParse(bridged) || !/^https?:$/.test(new URL(bridged).protocol)) {
    throw new HttpError(400, `${BRIDGE_HEADER} must be an absolute http(s) URL`);
  }
  return new URL(bridged);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
