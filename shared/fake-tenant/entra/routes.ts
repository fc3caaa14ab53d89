// The authority's routes: which path is which Entra endpoint, and how a thrown EntraError becomes
// Entra's JSON error body (or, on the pages a browser sees, an HTML page).
import { authorize, logout } from './authorize.ts';
import type { Authority, Call } from './context.ts';
import { deviceCode, deviceLogin } from './device.ts';
import { instanceDiscovery, keys, openIdConfiguration } from './discovery.ts';
import { aadsts } from './aadsts.ts';
import { EntraError, errorJson, errorPage } from './errors.ts';
import { token } from './token.ts';
import { isTenantSegment } from '../directory.ts';

interface Route {
  endpoint: string;
  /** Matches the path; group 1, when present, is the `{tenant}` segment. */
  path: RegExp;
  methods: string[];
  handler: (authority: Authority, call: Call) => Response | Promise<Response>;
  /** Whether a person's browser shows the answer (errors as HTML, not JSON). */
  page?: boolean;
}

const ROUTES: Route[] = [
  { endpoint: 'instance-discovery', path: /^\/common\/discovery\/instance$/, methods: ['GET'], handler: instanceDiscovery },
  { endpoint: 'openid-configuration', path: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, methods: ['GET'], handler: openIdConfiguration },
  { endpoint: 'keys', path: /^\/([^/]+)\/discovery\/v2\.0\/keys$/, methods: ['GET'], handler: keys },
  { endpoint: 'authorize', path: /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, methods: ['GET', 'POST'], handler: authorize, page: true },
  { endpoint: 'token', path: /^\/([^/]+)\/oauth2\/v2\.0\/token$/, methods: ['POST'], handler: token },
  { endpoint: 'devicecode', path: /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/, methods: ['POST'], handler: deviceCode },
  { endpoint: 'logout', path: /^\/([^/]+)\/oauth2\/v2\.0\/logout$/, methods: ['GET', 'POST'], handler: logout, page: true },
  { endpoint: 'devicelogin', path: /^\/devicelogin$/, methods: ['GET', 'POST'], handler: deviceLogin, page: true },
];

/** The endpoint name a path belongs to (for the request log), or `unknown`. */
export function authorityEndpoint(url: URL): string {
  return ROUTES.find((route) => route.path.test(url.pathname))?.endpoint ?? 'unknown';
}

export async function handleAuthority(authority: Authority, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const route = ROUTES.find((candidate) => candidate.path.test(url.pathname));
  if (!route) return Response.json({ error: 'not_found', error_description: `No Entra endpoint at ${url.pathname}.` }, { status: 404 });
  if (!route.methods.includes(request.method)) {
    return new Response(null, { status: 405, headers: { allow: route.methods.join(', ') } });
  }
  const tenant = url.pathname.match(route.path)?.[1] ?? 'common';
  const call: Call = {
    request,
    url,
    origin: url.origin,
    tenant,
    correlationId: request.headers.get('client-request-id') ?? url.searchParams.get('client-request-id'),
  };
  try {
    if (!isTenantSegment(authority.model, tenant)) throw aadsts('tenantNotFound', tenant);
    return await route.handler(authority, call);
  } catch (failure) {
    if (!(failure instanceof EntraError)) throw failure;
    const context = { origin: call.origin, now: authority.now(), correlationId: call.correlationId };
    return route.page ? errorPage(failure, context) : errorJson(failure, context);
  }
}
