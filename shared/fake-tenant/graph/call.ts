// One Graph request as the handlers see it: the tenant, the request, who is calling, and the
// values the route captured from the path.
import type { GraphCaller } from './auth.ts';
import type { GraphContext } from './context.ts';
import { badRequest, type RequestIds } from './errors.ts';

export interface GraphCall {
  ctx: GraphContext;
  request: Request;
  url: URL;
  ids: RequestIds;
  caller: GraphCaller;
  /** The route's captured path values, e.g. an application's object id. */
  params: Array<string | undefined>;
}

/** The JSON body of a POST or PATCH, as an object; Graph's error when it is not JSON. */
export async function readJsonBody(call: GraphCall): Promise<Record<string, unknown>> {
  const text = await call.request.text();
  try {
    const body: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Answered below, as Graph answers any unreadable payload.
  }
  throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
}
