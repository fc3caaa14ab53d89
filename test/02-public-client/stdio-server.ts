// The learner's stdio server, started the way an MCP client starts it: the SDK's Client over a real
// StdioClientTransport, with the fake tenant loaded in the child (the bridge). A person watches the
// server's stderr for the device code and enters it as `user`.
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REGISTER_MODULE, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import type { FakeTenant } from '#shared/fake-tenant/fake-tenant.ts';
import { todoFailure } from '#shared/workbook/check.ts';
import { compiledChildArgs } from '#shared/workbook/compiled-script.ts';
import { targetPath } from '#shared/workbook/target.ts';
import lab from './lab.ts';

export interface RunningServer {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Device code prompts seen on stderr. */
  prompts: number;
  /** Errors the client's transport met, such as a stdout line that is not JSON-RPC. */
  transportErrors: Error[];
  close(): Promise<void>;
}

export interface ServerOptions {
  bridge: Bridge;
  tenant: () => FakeTenant;
  /** Who enters the device code. */
  user: string;
  env: Record<string, string>;
}

/** Live mode: no fake tenant; the device code prompt goes to `onPrompt` (a person enters the code). */
export interface LiveServerOptions {
  env: Record<string, string>;
  onPrompt: (prompt: string) => void;
}

/**
 * Node's arguments for the server. Mock mode: the server and the fake tenant's register.ts compiled
 * ahead (compiled-script.ts), so the child starts on plain node, twice as fast as under tsx's hooks; the
 * compiled files are kept for the check file's other starts. Live mode: as a learner runs it, with tsx.
 */
async function serverArgs(fake: boolean): Promise<string[]> {
  const script = targetPath(lab, 'src/server.ts');
  return fake ? compiledChildArgs(script, [REGISTER_MODULE]) : ['--import', import.meta.resolve('tsx'), script];
}

export async function startServer(options: ServerOptions | LiveServerOptions): Promise<RunningServer> {
  const fake = 'bridge' in options ? options : undefined;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: await serverArgs(Boolean(fake)),
    env: { ...fake?.bridge.childEnv(), ...options.env }, // the SDK adds only a minimal environment (HOME, PATH, ...)
    stderr: 'pipe',
  });
  const client = new Client({ name: 'lab-02-check', version: '1.0.0' });
  let stderr = '';
  const running: RunningServer = { client, stderr: () => stderr, prompts: 0, transportErrors: [], close: () => client.close() };
  (transport.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const [prompt, code] of chunk.matchAll(/[^\n]*enter the code (\S+) to authenticate[^\n]*/g)) {
      running.prompts += 1;
      if (fake) fake.tenant().approveDeviceCode(code!, fake.user);
      else (options as LiveServerOptions).onPrompt(prompt);
    }
  });
  client.onerror = (error) => running.transportErrors.push(error);
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    throw serverFailure(error, stderr);
  }
  return running;
}

/** A failure that shows the server's stderr, and reads as the TODO if the server reached one. */
export function serverFailure(error: unknown, stderr: string): Error {
  const failure = new Error(`${error instanceof Error ? error.message : String(error)}\nThe server's stderr:\n${stderr}`, { cause: error });
  return todoFailure(failure) ?? failure;
}
