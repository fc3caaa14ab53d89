// `npx tsx test/05-resource-server/bench.ts`: what the bearer check costs. Authenticated `whoami` calls
// per second against the solution's server, then against the same server with a verifier that accepts
// any token unchecked, in one run (alternating, two rounds each); prints both and the ratio. A benchmark, not a check: it grades nothing.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { startFakeTenant } from '#shared/fake-tenant/transports/msw.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { FULL_SCOPE, settings, userToken, type ServerModule } from './helpers.ts';
import lab from './lab.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 4;

/** Switched off: every token is taken at its word. Never do this outside a benchmark. */
const unchecked: OAuthTokenVerifier = {
  verifyAccessToken: async (token) => ({ token, clientId: 'bench', scopes: [FULL_SCOPE], expiresAt: Math.floor(Date.now() / 1000) + 3600 }),
};

async function callsPerSecond(token: string, verifier?: OAuthTokenVerifier): Promise<number> {
  const { startResourceServer } = await importTarget<ServerModule>(lab, 'src/server.ts');
  const server = await startResourceServer({ settings: settings(), log: () => {}, ...(verifier ? { verifier } : {}) });
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      await client.callTool({ name: 'whoami', arguments: {} }); // warm up: the on-behalf-of token is cached after this
      return client;
    }),
  );
  let calls = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        if (result.isError) throw new Error(`whoami failed: ${JSON.stringify(result.content)}`);
        calls += 1;
      }
    }),
  );
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
  return calls / SECONDS;
}

const running = await startFakeTenant();
try {
  const token = await userToken(running.tenant, 'adele@contoso.onmicrosoft.com');
  // Alternated, twice each, so a warming JIT or a busy neighbour does not favour one side.
  let [off, on] = [0, 0];
  for (let round = 0; round < 2; round += 1) {
    off += (await callsPerSecond(token, unchecked)) / 2;
    on += (await callsPerSecond(token)) / 2;
  }
  const cost = 1 - on / off;
  console.log(`bearer check off: ${off.toFixed(0)} calls/s`);
  console.log(`bearer check on:  ${on.toFixed(0)} calls/s`);
  console.log(`ratio on/off: ${(on / off).toFixed(3)} (the check costs ${(cost * 100).toFixed(1)}%; target under 15%)`);
} finally {
  await running.close();
}
