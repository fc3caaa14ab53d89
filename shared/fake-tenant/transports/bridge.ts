// The parent's side of the fake tenant for child processes. msw patches only its own process, so a
// spawned stdio MCP server gets msw of its own (register.ts) that forwards every Entra and Graph
// request here: one tenant, one request log, one set of faults for parent and child.
import { fileURLToPath } from 'node:url';
import { serveTenant, type TenantHandler } from './server.ts';

export interface Bridge {
  /** The bridge's loopback origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * The variables the child needs. Pass them explicitly: the MCP SDK's StdioClientTransport gives a
   * child only a minimal environment, so nothing set in the parent arrives by itself. Example:
   * `new StdioClientTransport({ command: process.execPath, args: [...bridge.childArgs(), 'server.ts'],
   *   env: { ...getDefaultEnvironment(), ...bridge.childEnv() } })`.
   */
  childEnv(): Record<string, string>;
  /** Node's arguments before the script: load tsx, then register.ts. */
  childArgs(): string[];
  close(): Promise<void>;
}

/**
 * Node's arguments that load the tsx loader, then register.ts, as file URLs so they resolve from any
 * working directory. The child also needs FAKE_TENANT_BRIDGE (a bridge, or the standalone server).
 */
export function registerArgs(): string[] {
  return ['--import', import.meta.resolve('tsx'), '--import', new URL('./register.ts', import.meta.url).href];
}

/** register.ts as a path: what a child loads with `--import` (under tsx, or compiled ahead). */
export const REGISTER_MODULE = fileURLToPath(new URL('./register.ts', import.meta.url));

export async function startBridge(tenant: TenantHandler): Promise<Bridge> {
  const server = await serveTenant(tenant, { host: '127.0.0.1' });
  return {
    url: server.url,
    childEnv: () => ({ FAKE_TENANT_BRIDGE: server.url }),
    childArgs: registerArgs,
    close: () => server.close(),
  };
}
