// Lab 05, break it: tokens with exactly one thing wrong, sent over HTTP at your own server on the fake
// tenant (docs/exercises.md, lab 05, exercise 1), and a look at the token your server hands to Graph
// (exercise 3, no passthrough). `npm start -- break 05` runs these against your code; they are not part
// of the grade.
import { decodeJwt, SignJWT } from 'jose';
import { afterEach, expect, vi } from 'vitest';
import { APPS, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { strangerKey } from '#shared/fake-tenant/keys.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { GRAPH_APP_ID } from '#shared/entra/microsoft-graph.ts';
import { answerLine, attacksFor, type Narrator } from '#shared/workbook/break-it/attack.ts';
import { goodClaims, postMcp, requireSteps, startServer, TENANT_OPTIONS, userToken } from './helpers.ts';
import lab from './lab.ts';

const attack = attacksFor(lab);
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const ADELE = 'adele@contoso.onmicrosoft.com';
const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** Another MCP server registered in the same tenant: its own API, its own scope named like yours. */
const OTHER_API = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

afterEach(() => vi.restoreAllMocks());

/** An app id or audience, in words. */
function who(id: unknown): string {
  const names: Record<string, string> = {
    [APPS.remoteServer]: `your server (${APPS.remoteServer})`,
    [`api://${APPS.remoteServer}`]: `your server (api://${APPS.remoteServer})`,
    [APPS.mcpClient]: `the MCP client (${APPS.mcpClient})`,
    'https://graph.microsoft.com': 'Microsoft Graph (https://graph.microsoft.com)',
  };
  return names[String(id)] ?? String(id);
}

const unsigned = (claims: object) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

/** Sends `token` to POST /mcp as an MCP client would, and tells what came back. */
async function sendToken(say: Narrator, url: URL, token: string, what: string): Promise<Response> {
  say.send(`POST ${url.pathname}  initialize, Authorization: Bearer ${token}   (${what})`);
  const response = await postMcp(url, token);
  say.answer(await answerLine(response, 80));
  return response;
}

attack('05.2.2', 'send your server a token Entra issued for another API', async (say) => {
  requireSteps('05.2', '05.4');
  const server = await startServer();
  try {
    say.note('The attacker runs another app in your tenant. Adele uses it, so it holds tokens Entra issued to her for other APIs, all signed with the tenant\'s real key.');
    const graph = say.secret(await userToken(tenant(), ADELE, { aud: GRAPH_APP_ID, scp: 'User.Read' }), "Adele's Graph token");
    const graphAnswer = await sendToken(say, server.url, graph, 'a token for Microsoft Graph');
    say.note('The attacker\'s own MCP server also names its scope mcp.tools; Adele connected to it, and it kept her token.');
    const other = say.secret(await userToken(tenant(), ADELE, { aud: OTHER_API }), "Adele's token for another MCP server");
    const otherAnswer = await sendToken(say, server.url, other, 'a token for another MCP server of the tenant');
    expect(otherAnswer.status, "your server served an MCP request on a token issued for another API: whoever holds any of Adele's tokens for any API of the tenant can act as her here").toBe(401);
    expect(graphAnswer.status, 'your server took a Microsoft Graph token as a token for itself (only the scope check stopped it): the audience is not checked').toBe(401);
    say.note('Both refused: a valid signature proves Entra issued the token, not that it was issued for you.');
  } finally {
    await server.close();
  }
});

attack('05.2.2', "forge Adele's token without the tenant's key", async (say) => {
  requireSteps('05.2', '05.4');
  const server = await startServer();
  try {
    say.note("The attacker knows Adele's object id and what a token for your server looks like, but holds no key of the tenant.");
    const none = say.secret(unsigned(goodClaims(tenant(), ADELE)), 'an unsigned token (alg none)');
    const noneAnswer = await sendToken(say, server.url, none, 'the right claims, no signature at all');
    expect(noneAnswer.status, 'your server served a token with no signature (alg none): anyone can write any claims').toBe(401);

    const forged = say.secret(
      await new SignJWT(goodClaims(tenant(), ADELE)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'attacker-key-1' }).sign(await strangerKey()),
      "a token signed with the attacker's key",
    );
    const forgedAnswer = await sendToken(say, server.url, forged, "signed with the attacker's own key, naming a kid the tenant never published");
    expect(forgedAnswer.status, "your server served a token signed with a key that is not in the tenant's JWKS").toBe(401);
    say.note(`Your server fetched the tenant's keys ${tenant().log.count('keys')} time(s) and found no key with that kid.`);
  } finally {
    await server.close();
  }
});

attack('05.2.2', "replay an expired token, and another tenant's", async (say) => {
  requireSteps('05.2', '05.4');
  const server = await startServer();
  try {
    const now = Math.floor(Date.now() / 1000);
    say.note("The attacker found a token of Adele's in an old log file: Entra issued it for your server, and it expired an hour ago.");
    const expired = say.secret(await userToken(tenant(), ADELE, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }), "Adele's expired token");
    const expiredAnswer = await sendToken(say, server.url, expired, 'for your server, expired an hour ago');
    expect(expiredAnswer.status, 'your server served a token that expired an hour ago: a leaked token would work for ever').toBe(401);

    say.note('Then the attacker signs in to a tenant of their own, where your app is also known, and gets a token for your API there.');
    const foreign = say.secret(
      await userToken(tenant(), ADELE, { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }),
      "a token from the attacker's tenant",
    );
    const foreignAnswer = await sendToken(say, server.url, foreign, `issued by tenant ${OTHER_TENANT}, not yours (${TENANT_ID})`);
    expect(foreignAnswer.status, "your server served a token another tenant issued: any Entra tenant's users could call your tools").toBe(401);
    say.note("Entra signed both: a valid signature says Entra issued a token, not when it stops or for which tenant; exp, iss and tid say that.");
  } finally {
    await server.close();
  }
});

attack('05.3.1', 'watch which token your server hands on to Graph', async (say) => {
  requireSteps('05.2', '05.3', '05.4');
  const server = await startServer();
  const sentToGraph: string[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).hostname === 'graph.microsoft.com') sentToGraph.push(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '');
    return realFetch(request);
  });
  try {
    say.note("Adele calls the whoami tool. Her token was issued for your server: if your server passed it on, anything that token reaches (Graph, or an API that wrongly accepts it) would act as Adele, and Graph's logs would blame the MCP client.");
    say.note('This attack reads the request your server sends to Graph.');
    const adele = say.secret(await userToken(tenant(), ADELE), "Adele's token for your server");
    say.send(`POST ${server.url.pathname}  tools/call whoami, Authorization: Bearer ${adele}`);
    const response = await realFetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${adele}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    say.answer(await answerLine(response, 100));
    const graphToken = sentToGraph.at(-1);
    expect(graphToken, 'your server never called Graph: the whoami tool did not run').toBeTruthy();
    const passedOn = graphToken === adele;
    if (!passedOn) say.secret(graphToken!, 'a Graph token Entra issued to your server for Adele');
    say.send(`GET https://graph.microsoft.com/v1.0/me, Authorization: Bearer ${graphToken}   (your server, to Graph)`);
    const claims = decodeJwt(graphToken!);
    say.note(`That token is for ${who(claims.aud)}, and Entra issued it to ${who(claims.appid ?? claims.azp)}.`);
    expect(passedOn, "your server passed Adele's token for your API on to Graph (token passthrough): Graph's logs name the MCP client as the caller, and any API that accepted it would let a token stolen from your server act as Adele there too").toBe(false);
    expect(claims.aud, 'Graph received a token that is not for Graph').toBe('https://graph.microsoft.com');
    expect(claims.appid ?? claims.azp, 'Graph received a token issued to someone other than your server').toBe(APPS.remoteServer);
  } finally {
    await server.close();
  }
});
