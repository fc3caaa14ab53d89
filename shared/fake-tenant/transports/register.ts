// Loaded in a child process with `node --import tsx --import <this file>` (see bridge.ts): msw in the
// child sends every request for Entra (login.microsoftonline.com) and Graph to the fake tenant that
// FAKE_TENANT_BRIDGE names, with the original URL in a header. Any other host follows the offline rule:
// loopback (a local HTTPS tenant on localhost:8443, say) goes to the network, the rest fails loudly.
// Nothing here writes to stdout: a stdio MCP server's stdout is its JSON-RPC channel.
import { syncBuiltinESMExports } from 'node:module';
// msw/core/http, not 'msw': the package's main entry also loads GraphQL and WebSocket support, which
// costs a child a seventh of a second at start-up and serves nothing here.
import { http } from 'msw/core/http';
import { setupServer } from 'msw/node';
import { cancelResponseClones, offlineGuard } from './msw-guards.ts';
import { BRIDGE_HEADER } from './server.ts';

const bridge = process.env.FAKE_TENANT_BRIDGE;
if (!bridge || !URL.canParse(bridge)) {
  process.stderr.write(
    'fake tenant: FAKE_TENANT_BRIDGE must be the URL of the fake tenant (a bridge from startBridge(), or the ' +
      'standalone server https://localhost:8443). Pass bridge.childEnv() in the child\'s environment.\n',
  );
  process.exit(1);
}

/** Sends the intercepted request to the bridge and answers with the bridge's response. */
async function forward({ request }: { request: Request }): Promise<Response> {
  const original = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.set(BRIDGE_HEADER, original.href);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  // The bridge is on loopback, which this process's msw lets through (offlineGuard).
  return fetch(new URL(original.pathname + original.search, bridge), {
    method: request.method,
    headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    redirect: 'manual', // a redirect is the tenant's answer to pass on, not one to follow here
  });
}

const server = setupServer(
  http.all('https://login.microsoftonline.com/*', forward),
  http.all('https://graph.microsoft.com/*', forward),
);
cancelResponseClones(server);
server.listen({ onUnhandledRequest: offlineGuard });
// msw patches node:http(s) functions on the module object; this makes `import { request } from
// 'node:https'` in the code under test see them too, so no client slips past the offline rule.
syncBuiltinESMExports();
