// The fake Microsoft Graph (v1.0): the endpoints the labs call, with Graph's bearer check, error
// format, OData responses and request ids. Order of checks, as Graph: throttling first (a throttled
// client learns nothing else), then the token, then the route and its permissions.
import { randomUUID } from 'node:crypto';
import { authenticate } from './auth.ts';
import type { GraphCall } from './call.ts';
import type { GraphContext } from './context.ts';
import { createApplication, deleteApplication, getApplication, listApplications, updateApplication } from './applications.ts';
import { badRequest, errorResponse, GraphError, methodNotAllowed, segmentNotFound, tooManyRequests, type RequestIds } from './errors.ts';
import { addPassword, removePassword } from './passwords.ts';
import { createServicePrincipal, getServicePrincipal, listServicePrincipals } from './service-principals.ts';
import { getMe, getUser, listUsers } from './users.ts';

type Handler = (call: GraphCall) => Promise<Response>;

/** An object by id (`/applications/{id}`) or by alternate key (`/applications(appId='{appId}')`). */
const BY_KEY = String.raw`(?:\/([^/()]+)|\(appId='([^']*)'\))`;

const ROUTES: Array<{ path: RegExp; methods: Record<string, Handler> }> = [
  { path: /^\/me$/i, methods: { GET: getMe } },
  { path: /^\/users$/i, methods: { GET: listUsers } },
  { path: /^\/users\/([^/]+)$/i, methods: { GET: getUser } },
  { path: /^\/applications$/i, methods: { GET: listApplications, POST: createApplication } },
  { path: new RegExp(`^/applications${BY_KEY}$`, 'i'), methods: { GET: getApplication, PATCH: updateApplication, DELETE: deleteApplication } },
  { path: new RegExp(`^/applications${BY_KEY}/addPassword$`, 'i'), methods: { POST: addPassword } },
  { path: new RegExp(`^/applications${BY_KEY}/removePassword$`, 'i'), methods: { POST: removePassword } },
  { path: /^\/servicePrincipals$/i, methods: { GET: listServicePrincipals, POST: createServicePrincipal } },
  { path: new RegExp(`^/servicePrincipals${BY_KEY}$`, 'i'), methods: { GET: getServicePrincipal } },
];

const ROOT_SEGMENTS = ['me', 'users', 'applications', 'serviceprincipals'];

/** The segment Graph names in "Resource not found for the segment": an unknown root, else the last one. */
function unknownSegment(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const root = segments[0] ?? '';
  return ROOT_SEGMENTS.includes(root.replace(/\(.*$/, '').toLowerCase()) ? segments.at(-1)! : root;
}

/** The path with `%27` and friends decoded, so `(appId='...')` matches however a client escaped it. */
function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname; // a malformed escape: matched as sent, so it ends as "Resource not found"
  }
}

export function createGraphHandler(ctx: GraphContext): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const ids: RequestIds = { requestId: randomUUID(), clientRequestId: request.headers.get('client-request-id') ?? randomUUID() };
    try {
      const throttle = ctx.takeGraphThrottle();
      if (throttle) throw tooManyRequests(throttle.retryAfterSeconds);
      const [, version = '', path = '/'] = /^\/([^/]*)(\/.*)?$/.exec(decodedPath(url)) ?? [];
      if (version === 'beta') throw badRequest('The fake Graph serves v1.0 only; use https://graph.microsoft.com/v1.0.');
      if (version !== 'v1.0') throw badRequest(`Invalid version: ${version}`);
      const caller = await authenticate(ctx, request);
      const route = ROUTES.find((candidate) => candidate.path.test(path));
      if (!route) throw segmentNotFound(unknownSegment(path));
      const handler = route.methods[request.method];
      if (!handler) throw methodNotAllowed();
      const params = path.match(route.path)!.slice(1);
      return await handler({ ctx, request, url, ids, caller, params });
    } catch (failure) {
      if (failure instanceof GraphError) return errorResponse(failure, ids, ctx.now());
      throw failure;
    }
  };
}
