// directLoopbackFetch, the test-only speed option: fetch to loopback skips msw (which would only pass it
// through, after cloning request and response); Entra, Graph and the offline rule are as without it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { startFakeTenant } from '#shared/fake-tenant/transports/msw.ts';

test('loopback goes straight to the network, Graph to the fake tenant, the internet nowhere; close puts fetch back', async () => {
  const web = createServer((_req, res) => res.end('local'));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const before = globalThis.fetch;
  const running = await startFakeTenant({ directLoopbackFetch: true });
  try {
    const seenByMsw: string[] = [];
    running.server.events.on('request:start', ({ request }) => void seenByMsw.push(request.url));

    const local = await fetch(`http://127.0.0.1:${(web.address() as AddressInfo).port}/`);
    expect(await local.text(), 'a loopback server answers').toBe('local');
    expect(seenByMsw, 'msw never saw the loopback request').toEqual([]);

    const graph = await fetch('https://graph.microsoft.com/v1.0/me');
    expect(graph.status, 'Graph is the fake tenant, through msw: no token, 401').toBe(401);
    expect(running.tenant.log.count('graph:/me'), 'the fake tenant logged it').toBe(1);
    expect(seenByMsw).toEqual(['https://graph.microsoft.com/v1.0/me']);

    const outside = await fetch('https://example.com/').then(
      () => 'answered',
      () => 'refused',
    );
    expect(outside, 'any other host is refused, as without the option').toBe('refused');
  } finally {
    await running.close();
    web.close();
  }
  expect(globalThis.fetch, 'after close, fetch is what it was before the tenant started').toBe(before);
});
