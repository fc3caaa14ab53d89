// Lab 03, break it: four attacks on your server, one per line of defence, in the order a sign-in meets
// them. A copied callback URL sent again (step 2), a stolen refresh token used after its owner refreshed
// (step 3), user B's token on user A's MCP session (step 4), a page of another web origin (step 6).
// `npm start -- break 03` runs them against your code; they are not part of the grade.
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { answerLine, attacksFor } from '#shared/workbook/break-it/attack.ts';
import { connect, hop, initializeWith, location, requireSteps, signIn, signInAtEntra, startSignIn, tokenRequest, useLabServer, userDetails } from './helpers.ts';
import lab from './lab.ts';

const attack = attacksFor(lab);
const { tenant, server } = useLabServer();

attack('03.2.1', 'replay the callback URL of a sign-in that already finished', async (say) => {
  requireSteps('03.1', '03.2');
  const { authorizeUrl } = await startSignIn(server());
  const callback = await signInAtEntra(tenant, authorizeUrl, USERS.megan);
  say.secret(callback.searchParams.get('code')!, "Entra's code");
  say.secret(callback.searchParams.get('state')!, "your server's state");
  const path = `${callback.pathname}${callback.search}`;
  say.note('Megan signs in; Entra sends her browser back to your server, and the attacker copies the URL.');

  say.send(`GET ${path}   (Megan's browser)`);
  const first = await hop(callback);
  const clientRedirect = location(first);
  say.secret(clientRedirect.searchParams.get('code') ?? '', "your server's code for the client");
  say.secret(clientRedirect.searchParams.get('state') ?? '', "the client's state");
  say.answer(await answerLine(first));

  const tokenRequestsBefore = tenant().log.count('token');
  say.send(`GET ${path}   (the attacker, the same URL again)`);
  const replay = await hop(callback);
  say.answer(await answerLine(replay));
  const redeemed = tenant().log.count('token') - tokenRequestsBefore;
  say.note(`Entra's token endpoint was asked ${redeemed} time(s) during the replay.`);

  expect(redeemed, "your server took the same state twice and sent Entra's code to Entra again: only Entra's own rule (a code works once) stood in the way").toBe(0);
  expect(replay.headers.get('location'), 'your server took the same state twice and redirected the attacker to the MCP client').toBeNull();
  expect(replay.status, 'the replay is refused with 400').toBe(400);
});

attack('03.3.4', 'use a stolen refresh token after its owner has refreshed', async (say) => {
  requireSteps('03.1', '03.2', '03.3');
  const owner = await signIn(tenant, server(), USERS.megan);
  const clientId = owner.client!.client_id;
  const stolen = say.secret(owner.saved!.refresh_token!, 'the stolen refresh token');
  say.note("Megan's MCP client is signed in. The attacker copies its refresh token from the client's disk (a backup, a synced folder).");
  const refresh = (token: string) => tokenRequest(server(), { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });

  say.send('POST /token  grant_type=refresh_token&refresh_token=‹the stolen refresh token›   (Megan\'s client, an hour later, as usual)');
  const ownersRefresh = await refresh(stolen);
  const renewed = (await ownersRefresh.clone().json()) as { access_token?: string; refresh_token?: string };
  say.secret(renewed.access_token ?? '', "Megan's new session token");
  const current = say.secret(renewed.refresh_token ?? '', "Megan's new refresh token");
  say.answer(await answerLine(ownersRefresh, 400));
  expect(current, "Megan's own refresh worked (a new refresh token)").toBeTruthy();

  say.send('POST /token  grant_type=refresh_token&refresh_token=‹the stolen refresh token›   (the attacker)');
  const theft = await refresh(stolen);
  const theftBody = (await theft.clone().json().catch(() => ({}))) as { access_token?: string };
  if (theftBody.access_token) say.secret(theftBody.access_token, "the attacker's session token");
  say.answer(await answerLine(theft));
  say.note('That token was rotated out: two parties hold this grant, and your server cannot tell which one is the thief.');

  say.send("POST /token  grant_type=refresh_token&refresh_token=‹Megan's new refresh token›   (whoever holds the newest tokens)");
  const afterwards = await refresh(current);
  say.answer(await answerLine(afterwards));
  say.note('Megan signs in again; the attacker has nothing left.');

  expect(theftBody.access_token, "the attacker's copy of a rotated-out refresh token bought a session token").toBeUndefined();
  expect(theft.status, 'the stolen refresh token is refused with 400 (invalid_grant)').toBe(400);
  expect(afterwards.status, "the grant lived on after a rotated-out refresh token came back: whoever holds its newest tokens, Megan or a thief who refreshed first, keeps them").toBe(400);
});

attack('03.4.2', "drive another user's MCP session with your own valid token", async (say) => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  const megan = await signIn(tenant, server(), USERS.megan);
  const adele = await signIn(tenant, server(), USERS.adele);
  say.secret(megan.saved!.access_token, "Megan's session token");
  const adelesToken = say.secret(adele.saved!.access_token, "Adele's session token");
  const { client, transport } = await connect(server(), megan);
  try {
    const meganSession = say.secret(transport.sessionId!, "Megan's MCP session id");
    say.note("Megan's MCP client opens a session. Adele is signed in too, with her own valid token, and learns Megan's session id (a log line, a proxy, a shared screen).");

    const callTool = (token: string | undefined) =>
      fetch(server().mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': meganSession,
          'mcp-protocol-version': '2025-11-25',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'getUserDetails', arguments: {} } }),
      });

    say.send("POST /mcp  tools/call getUserDetails, Mcp-Session-Id: ‹Megan's MCP session id›, Authorization: Bearer ‹Adele's session token›   (Adele)");
    const hijack = await callTool(adelesToken);
    const hijackBody = await hijack.clone().text();
    say.answer(await answerLine(hijack));

    say.send("DELETE /mcp  Mcp-Session-Id: ‹Megan's MCP session id›, Authorization: Bearer ‹Adele's session token›   (Adele ends Megan's session)");
    const ended = await fetch(server().mcpUrl, {
      method: 'DELETE',
      headers: { 'mcp-session-id': meganSession, 'mcp-protocol-version': '2025-11-25', authorization: `Bearer ${adelesToken}` },
    });
    say.answer(await answerLine(ended));

    say.send("POST /mcp  tools/call, the session id alone and no token   (anyone who saw the id)");
    const bare = await callTool(undefined);
    say.answer(await answerLine(bare));
    say.note('A 404 tells Adele nothing: an unknown id gets the same answer, so she cannot even learn that the session exists.');

    say.send("POST /mcp  tools/call getUserDetails in Megan's session, with Megan's token   (Megan, afterwards)");
    const meganAfterwards = await userDetails(client).then((result) => (JSON.parse(result.text) as { displayName?: string }).displayName, (error: unknown) => `${(error as Error).message}`);
    say.answer(`${meganAfterwards}`);

    expect(hijackBody, "Adele's token drove Megan's MCP session and read Megan's profile").not.toContain('Megan Bowen');
    expect(hijack.status, "Adele's token was served inside Megan's MCP session: a session id is no proof of who is calling, so each session must be bound to the user who opened it (404 for anyone else)").toBe(404);
    expect(ended.status, "Adele's token ended Megan's MCP session (DELETE): only its own user may").toBe(404);
    expect(meganAfterwards, "Megan's own session no longer answers her after Adele's requests").toBe('Megan Bowen');
    expect(bare.status, 'a session id with no token was served: a session id is not authentication (401)').toBe(401);
  } finally {
    await client.close();
  }
});

attack('03.6.1', 'send requests to your server from a page of another web origin', async (say) => {
  requireSteps('03.4', '03.6');
  const own = new URL(server().baseUrl).origin;
  say.note(`A page on evil.example has made its name resolve to your machine (DNS rebinding): its scripts can now send requests to ${own}. It has no token.`);
  const origins = ['https://evil.example', `${own}.evil.example`, 'null'];
  const answers: Array<[string, Response]> = [];
  for (const origin of origins) {
    say.send(`POST /mcp  initialize, Origin: ${origin}`);
    const response = await initializeWith(server(), undefined, { origin });
    say.answer(await answerLine(response));
    answers.push([origin, response]);
  }
  say.note('A 401 would mean the page got past the Origin check to the bearer check: the day your server accepts a cookie, or a token a browser holds, the page is in.');

  for (const [origin, response] of answers) {
    expect(response.status, `the page with Origin: ${origin} got past the Origin check (your server answered ${response.status}, not 403)`).toBe(403);
  }
});
