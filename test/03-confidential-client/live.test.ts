// The whole sign-in with whichever tenant the mode gives. In mock mode the fake tenant plays the person
// (Megan, in a scripted browser); in live mode you sign in yourself in your browser
// (WORKBOOK_INTERACTIVE=1), and the tool must return the profile of whoever signed in.
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { currentMode } from '#shared/settings.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { catchRedirect, noPersonReason, tellPerson, usePerson, type RedirectCatcher } from '#shared/workbook/person.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { CHECK_TENANT, collectLog, connect, hop, location, MemoryClientProvider, requireSteps, signInAtEntra, startLabServer, startSignIn, userDetails, type RunningServer, type ServerModule } from './helpers.ts';
import lab from './lab.ts';

const mock = currentMode() === 'mock';
const fake = mock ? useFakeTenant(CHECK_TENANT) : undefined;
usePerson();
const check = checksFor(lab);
let server: RunningServer;
let catcher: RedirectCatcher | undefined;

beforeAll(async () => {
  if (noPersonReason()) return; // live, and nobody at the keyboard: the check skips
  if (fake) server = await startLabServer(fake.tenant);
  // Live: the server on SERVER_BASE_URL, whose /auth/callback your registration lists (lab 01).
  else server = await (await importTarget<ServerModule>(lab, 'src/server.ts')).startServer({ log: collectLog([]) });
});
afterAll(async () => {
  await catcher?.close();
  await server?.close();
});

check('03.5.5', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.5');
  catcher = await catchRedirect();
  const provider = new MemoryClientProvider(catcher.redirectUri);
  const { authorizeUrl } = await startSignIn(server, provider);
  if (fake) {
    const back = location(await hop(await signInAtEntra(fake.tenant, authorizeUrl, USERS.megan)));
    await fetch(back); // the browser lands on the MCP client's loopback listener
  } else {
    tellPerson(['Open this URL in your browser and sign in as a user of your tenant:', authorizeUrl.href]);
  }
  const arrived = await catcher.arrival;
  expect(arrived.searchParams.get('state'), "the MCP client gets its own state back").toBe(provider.lastState);
  const code = arrived.searchParams.get('code');
  expect(code, `the browser brought back a code (it brought ${arrived.searchParams.get('error') ?? 'nothing'})`).toBeTruthy();
  expect(await auth(provider, { serverUrl: server.mcpUrl, authorizationCode: code! }), 'the server redeems the code it issued: the MCP client is signed in (AUTHORIZED)').toBe('AUTHORIZED');

  const { client } = await connect(server, provider);
  const details = await userDetails(client);
  await client.close();
  expect(details.isError, details.text).toBeFalsy();
  const signedIn = (await server.provider.verifyAccessToken(provider.saved!.access_token)).extra as { user: { oid: string } };
  expect(JSON.parse(details.text).id, 'the profile is of the person who signed in').toBe(signedIn.user.oid);
  if (fake) expect(signedIn.user.oid, 'in mock mode, Megan').toBe(USERS.megan);
});
