// Microsoft Graph's error responses: `{ error: { code, message, innerError } }`, with the request's
// ids in the body and in the headers, so a support ticket can quote them. Handlers throw a GraphError;
// the router turns it into the response.

/** A Graph error. Never put a token, a secret or a password in `message`: clients log it. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    /** Graph's error code, e.g. `Authorization_RequestDenied`. */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Graph's optional `details` array (the property or key a validation error is about). */
    readonly details?: Array<{ code: string; message?: string; target: string }>,
  ) {
    super(message);
  }
}

/** The ids of one request: Graph's own, and the one the client sent (or a new one). */
export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** Graph's `innerError.date`: UTC, to the second, without a zone designator. */
const graphDate = (now: number) => new Date(now).toISOString().slice(0, 19);

export function errorResponse(failure: GraphError, ids: RequestIds, now: number): Response {
  const body = {
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.details ? { details: failure.details } : {}),
      innerError: { date: graphDate(now), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
  return Response.json(body, {
    status: failure.status,
    headers: { ...failure.headers, 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
  });
}

// The errors more than one handler raises, in Graph's words.

/** 401. Graph names itself in the challenge, so a client knows which resource to get a token for. */
export const invalidToken = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
      'client_id="00000003-0000-0000-c000-000000000000"',
  });

/** 403: the token is fine, but its scopes (delegated) or roles (app-only) do not allow this call. */
export const insufficientPrivileges = () =>
  new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const resourceNotFound = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const segmentNotFound = (segment: string) =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = () =>
  new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');

export const badRequest = (message: string) => new GraphError(400, 'BadRequest', message);

/** A property value Graph's directory refuses. */
export const invalidValue = (property: string, resource: string) =>
  new GraphError(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'.`);

/** 429: the client must wait `Retry-After` seconds (Graph's SDKs do so on their own). */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new GraphError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': String(retryAfterSeconds) });
