// Lab 03, break it: an attacker holds a copy of a finished sign-in's callback URL (from a browser's
// history, a proxy log, a shared screen) and sends it to your server again. `npm start -- break 03`
// runs this against your code; it is not part of the grade.
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { answerLine, attacksFor } from '#shared/workbook/break-it/attack.ts';
import { hop, location, requireSteps, signInAtEntra, startSignIn, useLabServer } from './helpers.ts';
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
