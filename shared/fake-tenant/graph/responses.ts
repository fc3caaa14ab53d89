// Graph's successful responses: OData JSON with `@odata.context` (which entity set and which
// properties the body holds), collections as `{ value: [...] }` with `@odata.nextLink` when there is
// another page, and the request ids in the headers.
import type { GraphCall } from './call.ts';
import { matchesFilter, project, skipToken, type Query } from './query.ts';

export const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';

const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

function headers(call: GraphCall, more: Record<string, string> = {}): Record<string, string> {
  return { 'request-id': call.ids.requestId, 'client-request-id': call.ids.clientRequestId, ...more };
}

/** `https://graph.microsoft.com/v1.0/$metadata#users(displayName,mail)`: the set, and the selection. */
export function contextUrl(entitySet: string, select?: string[]): string {
  return `${GRAPH_V1}/$metadata#${entitySet}${select ? `(${select.join(',')})` : ''}`;
}

export function jsonResponse(call: GraphCall, body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: headers(call, { 'content-type': ODATA_JSON, 'odata-version': '4.0' }) });
}

export function noContent(call: GraphCall): Response {
  return new Response(null, { status: 204, headers: headers(call) });
}

/**
 * One entity, e.g. `GET /me`: `@odata.context` ends in `/$entity`. Without `$select` the body holds
 * the type's default properties (all of them when `defaults` is not given).
 */
export function entityResponse(
  call: GraphCall,
  entitySet: string,
  entity: Record<string, unknown>,
  select: string[] | undefined,
  defaults?: readonly string[],
  status = 200,
): Response {
  const body = { '@odata.context': `${contextUrl(entitySet, select)}/$entity`, ...project(entity, select ?? defaults) };
  return jsonResponse(call, body, status);
}

/** A filtered, projected page of a collection, with the link to the next page if there is one. */
export function collectionResponse(
  call: GraphCall,
  entitySet: string,
  entities: Array<Record<string, unknown>>,
  query: Query,
  defaults?: readonly string[],
): Response {
  const matching = entities.filter((entity) => matchesFilter(entity, query.filter));
  const end = query.offset + query.top;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(entitySet, query.select) };
  if (end < matching.length) {
    const params = new URLSearchParams(call.url.search);
    params.set('$skiptoken', skipToken(end));
    // Graph writes its nextLinks with a literal `$`, as a person would type them.
    body['@odata.nextLink'] = `${call.url.origin}${call.url.pathname}?${params.toString().replaceAll('%24', '$')}`;
  }
  body.value = matching.slice(query.offset, end).map((entity) => project(entity, query.select ?? defaults));
  return jsonResponse(call, body);
}
