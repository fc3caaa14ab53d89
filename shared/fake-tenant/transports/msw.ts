// The fake tenant in-process, for checks: msw answers every request for login.microsoftonline.com and
// graph.microsoft.com from `tenant.handle`, lets loopback through, and fails anything else loudly.
import { syncBuiltinESMExports } from 'node:module';
import { http } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { FakeTenant, type FakeTenantOptions } from '../fake-tenant.ts';
import { cancelResponseClones, offlineGuard } from './msw-guards.ts';

export interface StartFakeTenantOptions extends FakeTenantOptions {
  /** An existing tenant to serve (default: a new one built from the other options). */
  tenant?: FakeTenant;
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
  server.listen({ onUnhandledRequest: offlineGuard });
  // msw patches node:http(s) on the module object; this makes `import { request } from 'node:https'`
  // see the patched functions too, so no client slips past the offline rule.
  syncBuiltinESMExports();
  return {
    tenant,
    server,
    close: async () => {
      server.close();
      if (!options.tenant) tenant.close(); // a tenant passed in is its owner's to close
    },
  };
}
