// The fake tenant in-process, for checks: msw answers every request for login.microsoftonline.com and
// graph.microsoft.com from `tenant.handle`, lets loopback through, and fails anything else loudly.
import { syncBuiltinESMExports } from 'node:module';
import { http } from 'msw/core/http'; // not 'msw', which also loads GraphQL and WebSocket support
import { setupServer, type SetupServer } from 'msw/node';
import { FakeTenant, type FakeTenantOptions } from '../fake-tenant.ts';
import { cancelResponseClones, isLoopback, offlineGuard } from './msw-guards.ts';

export interface StartFakeTenantOptions extends FakeTenantOptions {
  /** An existing tenant to serve (default: a new one built from the other options). */
  tenant?: FakeTenant;
  /**
   * Test-only speed, default false: `fetch` to a loopback address (a lab's own server) goes straight to
   * the network instead of through msw, which would only let it through after cloning its request and
   * response. Entra, Graph and every other host still go through msw and the offline rule.
   */
  directLoopbackFetch?: boolean;
}

export interface RunningFakeTenant {
  tenant: FakeTenant;
  server: SetupServer;
  close(): Promise<void>;
}

export async function startFakeTenant(options: StartFakeTenantOptions = {}): Promise<RunningFakeTenant> {
  const tenant = options.tenant ?? (await FakeTenant.create(options));
  const serve = ({ request }: { request: Request }) => tenant.handle(request);
  const server = setupServer(
    http.all('https://login.microsoftonline.com/*', serve),
    http.all('https://graph.microsoft.com/*', serve),
  );
  cancelResponseClones(server);
  const unpatchedFetch = globalThis.fetch;
  server.listen({ onUnhandledRequest: offlineGuard });
  // msw patches node:http(s) on the module object; this makes `import { request } from 'node:https'`
  // see the patched functions too, so no client slips past the offline rule.
  syncBuiltinESMExports();
  const mswFetch = globalThis.fetch;
  const direct = options.directLoopbackFetch ? loopbackFirst(unpatchedFetch, mswFetch) : undefined;
  if (direct) globalThis.fetch = direct;
  return {
    tenant,
    server,
    close: async () => {
      if (direct && globalThis.fetch === direct) globalThis.fetch = mswFetch; // then msw puts back its own
      server.close();
      if (!options.tenant) tenant.close(); // a tenant passed in is its owner's to close
    },
  };
}

/** A fetch that sends loopback URLs with `unpatched` and everything else with msw's `mocked`. */
function loopbackFirst(unpatched: typeof fetch, mocked: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return (isLoopback(url) ? unpatched : mocked)(input, init);
  };
}
