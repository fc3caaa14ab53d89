// A Graph handler with a context of its own, for the fake Graph's unit tests: its own signing key
// (so these tests need nothing from the token endpoint), an injectable throttle queue, and helpers
// that mint the tokens Entra would issue for Graph (v1 tokens: aud https://graph.microsoft.com).
import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { APPS, createDefaultModel, TENANT_ID, USERS } from '#shared/fake-tenant/default-tenant.ts';
import { createGraphHandler } from '#shared/fake-tenant/graph/routes.ts';
import type { GraphContext } from '#shared/fake-tenant/graph/context.ts';

export const GRAPH = 'https://graph.microsoft.com/v1.0';

/** A JSON response body; tests read its fields freely. */
export const json = (response: Response) => response.json() as Promise<Record<string, any>>;

export async function graphHarness() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const throttles: number[] = [];
  const model = createDefaultModel();
  const ctx: GraphContext = {
    model,
    verifyToken: async (jwt) => (await jwtVerify(jwt, publicKey, { currentDate: new Date(ctx.now()) })).payload,
    takeGraphThrottle: () => {
      const retryAfterSeconds = throttles.shift();
      return retryAfterSeconds === undefined ? undefined : { retryAfterSeconds };
    },
    now: () => Date.now(),
  };
  const handler = createGraphHandler(ctx);

  /** A token for Graph; `claims` override the defaults, `key` signs it (default: the tenant's). */
  async function token(claims: JWTPayload, options: { key?: CryptoKey; lifetimeSeconds?: number } = {}) {
    const iat = Math.floor(ctx.now() / 1000);
    return new SignJWT({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      iat,
      nbf: iat,
      exp: iat + (options.lifetimeSeconds ?? 3599),
      ver: '1.0',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(options.key ?? privateKey);
  }

  /** A delegated token: `user` signed in to the local client, with these scopes. */
  const userToken = (scp: string, user: string = USERS.adele) =>
    token({ scp, oid: user, appid: APPS.localClient, idtyp: 'user' });

  /** An app-only token (client credentials) holding these app roles. */
  const appToken = (roles: string[]) => token({ roles, oid: 'b1f0c0de-0000-4000-8000-000000000001', appid: APPS.registrar, idtyp: 'app' });

  /** Sends one request to the handler, as a client would send it to graph.microsoft.com. */
  function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const body = options.body === undefined ? null : JSON.stringify(options.body);
    return handler(new Request(`${GRAPH}${path}`, { method, headers, body }));
  }

  return { ctx, model, handler, throttles, token, userToken, appToken, call };
}
