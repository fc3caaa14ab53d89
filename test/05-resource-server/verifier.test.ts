// Steps 05.1 and 05.2: the metadata document, and the verifier on its own: good tokens, a battery of
// bad ones (each minted with exactly one thing wrong), how often it reads the tenant's keys, and what a
// hostile token can do to the server's log.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { exportSPKI, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { format } from 'node:util';
import { expect, vi } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { strangerKey } from '#shared/fake-tenant/keys.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { eventsNamed, FULL_SCOPE, goodClaims, ISSUER, outcomeOf, postMcp, rejectionOf, settings, startServer, TENANT_OPTIONS, userToken, type VerifierModule } from './helpers.ts';
import lab from './lab.ts';

type MetadataModule = typeof import('../../labs/05-resource-server/src/resource-metadata.ts');
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
const ADELE = 'adele@contoso.onmicrosoft.com';
const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

async function verifier() {
  const { createEntraTokenVerifier } = await importTarget<VerifierModule>(lab, 'src/token-verifier.ts');
  const logs: unknown[] = [];
  const { authority, server } = settings();
  return { verify: createEntraTokenVerifier({ authority, clientId: server.clientId, log: (event) => logs.push(event) }), logs };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');


check('05.1.1', async () => {
  const { protectedResourceMetadata } = await importTarget<MetadataModule>(lab, 'src/resource-metadata.ts');
  for (const mcpUrl of ['http://127.0.0.1:3000/mcp', 'https://mcp.contoso.com/mcp']) {
    const metadata = protectedResourceMetadata({ mcpUrl: new URL(mcpUrl), authority: `https://login.microsoftonline.com/${TENANT_ID}`, clientId: APPS.remoteServer });
    expect(metadata.resource, `resource is the MCP endpoint's URL exactly as clients use it (${mcpUrl}), not an Application ID URI: a client refuses metadata that names another resource`).toBe(mcpUrl);
    expect(metadata.authorization_servers, 'authorization_servers names the issuer of v2 tokens, `${authority}/v2.0`: a client finds Entra\'s endpoints under it').toEqual([ISSUER]);
    expect(metadata.bearer_methods_supported, "bearer_methods_supported is ['header'] and nothing else: never a token in a URL, where logs and proxies keep it").toEqual(['header']);
    expect(metadata, 'RFC 9728 metadata for an Entra-protected MCP server').toMatchObject({
      resource: mcpUrl,
      authorization_servers: [ISSUER],
      scopes_supported: [FULL_SCOPE],
      bearer_methods_supported: ['header'],
    });
  }
});

check('05.2.1', async () => {
  const { verify, logs } = await verifier();
  for (const upn of [ADELE, 'megan@contoso.onmicrosoft.com']) {
    const claims = goodClaims(tenant(), upn);
    const token = await tenant().keys.sign(claims);
    const info = await verify.verifyAccessToken(token);
    expect(info, `${upn}'s token is accepted`).toMatchObject({ token, clientId: APPS.mcpClient, scopes: [FULL_SCOPE], expiresAt: claims.exp });
    expect(info.expiresAt, 'expiresAt is in seconds since the epoch (not milliseconds)').toBeLessThan(Date.now() / 100);
    expect(JSON.stringify(info.extra), 'extra names the user (oid)').toContain(String(claims.oid));
  }
  const now = Math.floor(Date.now() / 1000);
  expect(await outcomeOf(verify.verifyAccessToken(await userToken(tenant(), ADELE, { exp: now - 20, iat: now - 3619, nbf: now - 3619 }))), 'a token that expired 20 s ago is within the clock skew: accepted').toEqual({ resolved: expect.any(Object) });
  expect(await outcomeOf(verify.verifyAccessToken(await userToken(tenant(), ADELE, { aud: `api://${APPS.remoteServer}` }))), 'aud may be the Application ID URI: accepted').toEqual({ resolved: expect.any(Object) });
  const info = await verify.verifyAccessToken(await userToken(tenant(), ADELE, { scp: 'mcp.tools other.scope', roles: ['MCP.Admin'] }));
  expect(info.scopes, 'every scp name in full form, and app roles are not scopes').toEqual([FULL_SCOPE, `api://${APPS.remoteServer}/other.scope`]);
  expect(logs, 'nothing refused, nothing logged').toEqual([]);
});

check('05.2.2', async () => {
  const { verify, logs } = await verifier();
  const now = Math.floor(Date.now() / 1000);
  const good = goodClaims(tenant(), ADELE);
  const { kid } = tenant().keys.jwks().keys[0]!;
  const publicPem = await exportSPKI((await importJWK(tenant().keys.jwks().keys[0]!, 'RS256')) as CryptoKey);
  const stranger = await strangerKey(); // a key the tenant does not publish
  const signWith = (key: CryptoKey | Uint8Array, header: { alg: string; kid?: string }, claims: JWTPayload = good) =>
    new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);
  const graphClaims = {
    ...good, aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${TENANT_ID}/`, scp: 'User.Read', ver: '1.0', appid: APPS.remoteServer, azp: undefined,
  };

  const battery: Array<[string, Promise<string> | string, RegExp]> = [
    ['unsigned (alg none)', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(good)}.`, /algorithm/],
    ['HS256 signed with the public key', signWith(new TextEncoder().encode(publicPem), { alg: 'HS256', kid }), /algorithm/],
    ['a wrong signature (another key, the tenant\'s kid)', signWith(stranger, { alg: 'RS256', kid }), /signature/],
    ['an unknown kid', signWith(stranger, { alg: 'RS256', kid: 'not-a-key-of-this-tenant' }), /key/],
    ['another tenant\'s issuer', userToken(tenant(), ADELE, { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }), /issuer/],
    ['the right issuer but another tenant id', userToken(tenant(), ADELE, { tid: OTHER_TENANT }), /tenant/],
    ['a token for another API', userToken(tenant(), ADELE, { aud: APPS.localClient }), /audience/],
    ['a Microsoft Graph token', tenant().keys.sign(graphClaims), /issuer|audience/],
    ['a Microsoft Graph token in the v2 format (the right issuer, Graph\'s audience)', userToken(tenant(), ADELE, { aud: GRAPH_APP_ID, scp: 'User.Read' }), /audience/],
    ['expired two minutes ago', userToken(tenant(), ADELE, { iat: now - 3720, nbf: now - 3720, exp: now - 120 }), /expired/],
    ['not valid for ten more minutes', userToken(tenant(), ADELE, { iat: now, nbf: now + 600, exp: now + 4200 }), /not yet valid/],
    ['without an exp claim (a token that never expires)', userToken(tenant(), ADELE, { exp: undefined }), /exp/],
    ['without an nbf claim', userToken(tenant(), ADELE, { nbf: undefined }), /nbf/],
    ['a v1 token (sts.windows.net issuer)', userToken(tenant(), ADELE, { iss: `https://sts.windows.net/${TENANT_ID}/`, ver: '1.0' }), /issuer/],
    ['malformed (not a JWT)', 'not-a-jwt', /malformed/],
    ['malformed (three bad parts)', 'abc.def.ghi', /malformed/],
  ];

  const messages = new Set<string>();
  for (const [what, pending, reason] of battery) {
    const token = await pending;
    const before = logs.length;
    const refusal = await rejectionOf(verify.verifyAccessToken(token));
    expect(refusal, `${what}: refused with the SDK's InvalidTokenError (a 401), not accepted and not a 500`).toBeInstanceOf(InvalidTokenError);
    const { message } = refusal as InvalidTokenError;
    messages.add(message);
    expect(message, `${what}: the client sees a short message with no quotes (it goes into WWW-Authenticate)`).toMatch(/^[^"\\]{1,80}$/);
    const logged = JSON.stringify(logs.slice(before));
    const reasons = eventsNamed(logs.slice(before), 'token_refused').map((event) => String(event.reason));
    expect(reasons, `${what}: the server logs a token_refused event, log({ event: 'token_refused', reason, detail }) (it logged: ${logged})`).not.toHaveLength(0);
    expect(reasons.join(' | '), `${what}: the event's reason says why (reasonFor(error))`).toMatch(reason);
    const signature = token.split('.')[2];
    expect(logged.includes(token) || (!!signature && signature.length > 10 && logged.includes(signature)), `${what}: the log never holds the token`).toBe(false);
  }
  expect([...messages], 'every refusal shows the client the same fixed message: which check failed is for your log').toHaveLength(1);
  expect([...messages][0], 'the message does not say which check failed').not.toMatch(/aud|iss|kid|alg|signature|expired|tenant/i);
});

check('05.2.3', async () => {
  const { verify } = await verifier();
  const keysFetched = () => tenant().log.count('keys');
  const tokens = await Promise.all(['adele', 'megan', 'alex'].map((name) => userToken(tenant(), `${name}@contoso.onmicrosoft.com`)));
  await Promise.all(Array.from({ length: 100 }, (_, i) => verify.verifyAccessToken(tokens[i % tokens.length]!)));
  expect(tenant().log.count('openid-configuration'), 'discovery is read once').toBe(1);
  expect(keysFetched(), '100 tokens, at the same time: the keys are fetched once').toBe(1);

  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    await tenant().faults.rotateKeys();
    vi.setSystemTime(Date.now() + 31_000); // Entra rotates keys every few weeks: far longer than jose's cooldown
    const rotated = await Promise.all(Array.from({ length: 20 }, () => userToken(tenant(), ADELE)));
    await Promise.all(rotated.map((token) => verify.verifyAccessToken(token)));
    expect(keysFetched(), 'tokens signed with the new key: accepted after exactly one refetch').toBe(2);

    const stranger = await strangerKey(); // a key the tenant does not publish
    const forged = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      new SignJWT(goodClaims(tenant(), ADELE)).setProtectedHeader({ alg: 'RS256', kid: `made-up-${i}` }).sign(stranger)));
    const results = await Promise.allSettled(forged.map((token) => verify.verifyAccessToken(token)));
    expect(results.every((result) => result.status === 'rejected'), 'made-up kids are refused').toBe(true);
    expect(keysFetched(), '30 made-up kids right after a refetch: no new fetch (a flood cannot hammer Entra)').toBe(2);
    vi.setSystemTime(Date.now() + 31_000);
    await Promise.allSettled(forged.map((token) => verify.verifyAccessToken(token)));
    expect(keysFetched(), 'later, 30 more: at most one more fetch, not one per token').toBeLessThanOrEqual(3);
  } finally {
    vi.useRealTimers();
  }
});

check('05.2.4', async () => {
  // jose quotes an unrecognised `crit` name in its message, so whatever the attacker puts there reaches
  // a log line built from error.message, newlines and terminal escapes included. Unsigned: jose refuses
  // the header before it looks at the signature.
  const FORGED = 'Refused a bearer token: forged';
  const FORGED_EVENT = '{"event":"token_accepted","oid":"forged"}';
  const hostileHeader = (name: string) => `${base64url({ alg: 'RS256', typ: 'JWT', crit: [name] })}.${base64url(goodClaims(tenant(), ADELE))}.c2ln`;
  const hostile = [hostileHeader(`x\n${FORGED}`), hostileHeader(`x\r\n${FORGED_EVENT}\n`), hostileHeader(`x\u001b[2K\r${FORGED}`)];

  // Through the `log` option (the server passes its own): an event object per refusal, never a sentence.
  const { verify, logs } = await verifier();
  for (const token of hostile) {
    expect(await rejectionOf(verify.verifyAccessToken(token)), 'a token with a hostile header is refused with InvalidTokenError').toBeInstanceOf(InvalidTokenError);
  }
  for (const entry of logs) {
    expect(typeof entry === 'object' && entry !== null, `log() receives an event object such as { event: 'token_refused', reason, detail }, not a line of text: got ${JSON.stringify(entry)}`).toBe(true);
  }
  expect(eventsNamed(logs, 'token_refused'), "one token_refused event per refused token, handed to log() (not console.error)").toHaveLength(hostile.length);

  // Through the default log (stderr), as the server writes it when nobody passes `log`: what reaches the terminal.
  const { createEntraTokenVerifier } = await importTarget<VerifierModule>(lab, 'src/token-verifier.ts');
  const { authority, server } = settings();
  const plain = createEntraTokenVerifier({ authority, clientId: server.clientId });
  const written: string[] = [];
  const spies = [
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => written.push(String(chunk)) > 0),
    ...(['error', 'warn', 'log'] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(`${format(...args)}\n`))),
  ];
  try {
    for (const token of hostile) await rejectionOf(plain.verifyAccessToken(token));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const lines = written.join('').split('\n').filter((line) => line !== '');
  const forged = lines.filter((line) => line.startsWith(FORGED) || line.trim() === FORGED_EVENT);
  expect(forged, `the token's header wrote lines of its own into the log, ${JSON.stringify(lines)}: build no log line from error.message, log an event object (src/token-verifier.ts)`).toEqual([]);
  expect(lines.length, 'the default log wrote something for each refused token').toBeGreaterThanOrEqual(hostile.length);
  for (const line of lines) {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      event = undefined;
    }
    expect(typeof (event as { event?: unknown } | undefined)?.event, `every log line is one JSON object with an event name, written by the default log (stderrLog): got ${JSON.stringify(line)}`).toBe('string');
  }
});

check('05.2.5', async () => {
  // Entra's keys out of reach: the JWKS answers 503, or the network fails. The token may be fine: a 401
  // would make the client throw it away and sign the person in again, for a fault of the server's.
  const token = await userToken(tenant(), ADELE);
  const realFetch = globalThis.fetch;
  let keysDown: 'a 503 from the JWKS' | 'a network failure' | undefined;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (keysDown && new URL(url).pathname.endsWith('/discovery/v2.0/keys')) {
      return keysDown === 'a network failure'
        ? Promise.reject(new TypeError('fetch failed'))
        : Promise.resolve(Response.json({ error: 'temporarily_unavailable' }, { status: 503 }));
    }
    return realFetch(input, init);
  });
  try {
    for (const fault of ['a 503 from the JWKS', 'a network failure'] as const) {
      keysDown = fault;
      const { verify, logs } = await verifier();
      const failure = await rejectionOf(verify.verifyAccessToken(token));
      expect(failure, `Entra's keys unreachable (${fault}): a good token must not be accepted without its signature checked`).toBeDefined();
      expect(failure instanceof InvalidTokenError, `Entra's keys unreachable (${fault}): the verifier threw InvalidTokenError (a 401, the client discards a good token); let the error through so it becomes a 500 (src/token-verifier.ts)`).toBe(false);
      expect(eventsNamed(logs, 'token_refused'), `Entra's keys unreachable (${fault}): the token was not refused, so no token_refused event`).toEqual([]);

      const server = await startServer();
      try {
        const response = await postMcp(server.url, token);
        expect(response.status, `POST /mcp with a good token while Entra's keys are unreachable (${fault}): 500, the server's problem, not 401`).toBe(500);
      } finally {
        await server.close();
      }

      keysDown = undefined;
      const afterwards = await rejectionOf(verify.verifyAccessToken(token));
      expect(afterwards, `once Entra's keys are back (after ${fault}), the same verifier accepts the token: a failed fetch is not kept`).toBeUndefined();
    }
  } finally {
    spy.mockRestore();
  }
});
