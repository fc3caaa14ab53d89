// Step 03.6: the MCP endpoints refuse requests sent by pages of other web origins (DNS rebinding), before
// any token is looked at; MCP clients that are not web pages send no Origin and pass.
import { expect } from 'vitest';
import { USERS } from '#shared/fake-tenant/default-tenant.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { initializeWith, requireSteps, signIn, useLabServer } from './helpers.ts';
import lab from './lab.ts';

const { tenant, server } = useLabServer();
const check = checksFor(lab);

check('03.6.1', async () => {
  requireSteps('03.1', '03.2', '03.3', '03.4', '03.6');
  const token = (await signIn(tenant, server(), USERS.megan)).saved!.access_token;
  const own = new URL(server().baseUrl).origin;
  const foreign = {
    'another site': 'https://evil.example',
    '"null" (a sandboxed frame or a file: page)': 'null',
    'a name that merely starts like the server': `${own}.evil.example`,
    'the same host on another port': `${new URL(server().baseUrl).protocol}//${new URL(server().baseUrl).hostname}:1`,
    'the same host over https': own.replace('http:', 'https:'),
  };
  for (const [what, origin] of Object.entries(foreign)) {
    const response = await initializeWith(server(), token, { origin });
    expect(response.status, `POST /mcp with a valid token from ${what} (Origin: ${origin}): 403 (step 6)`).toBe(403);
    expect(response.headers.get('content-type'), 'answered in JSON').toMatch(/json/);
  }
  const noToken = await initializeWith(server(), undefined, { origin: 'https://evil.example' });
  expect(noToken.status, 'a foreign page without a token: 403 as well, before the bearer check (not 401)').toBe(403);
  for (const path of ['/sse', '/messages?sessionId=x']) {
    const legacy = await fetch(new URL(path, server().baseUrl), {
      method: path === '/sse' ? 'GET' : 'POST',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      ...(path === '/sse' ? {} : { body: '{}' }),
    });
    expect(legacy.status, `the legacy ${path.split('?')[0]} from a foreign page: 403`).toBe(403);
    await legacy.body?.cancel();
  }

  const fromItself = await initializeWith(server(), token, { origin: own });
  expect(fromItself.status, `a page of the server's own origin (${own}) is served`).toBe(200);
  await fromItself.body?.cancel();
  const noOrigin = await initializeWith(server(), token);
  expect(noOrigin.status, 'an MCP client that is not a web page sends no Origin, and is served').toBe(200);
  await noOrigin.body?.cancel();
});
