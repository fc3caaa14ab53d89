// The learner's stdio server, started the way an MCP client starts it: the SDK's Client over a real
// StdioClientTransport, with the fake tenant loaded in the child (the bridge). It signs in with a device
// code (LOCAL_SIGN_IN=device-code: a check never opens a browser); the person enters the code the tool
// answers with, when the check says so.
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REGISTER_MODULE, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { todoFailure } from '#shared/workbook/check.ts';
import { compiledChildArgs } from '#shared/workbook/compiled-script.ts';
import { targetPath } from '#shared/workbook/target.ts';
import lab from './lab.ts';

export interface RunningServer {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Sign-ins the server logged on stderr (Entra's "enter the code ..." message). */
  prompts: number;
  /** Errors the client's transport met, such as a stdout line that is not JSON-RPC. */
  transportErrors: Error[];
  close(): Promise<void>;
}

export interface ServerOptions {
  bridge: Bridge;
  env: Record<string, string>;
}

/** Live mode: no fake tenant; a person enters the code the tool answers with. */
export interface LiveServerOptions {
  env: Record<string, string>;
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
    // The SDK adds only a minimal environment (HOME, PATH, ...). Never a browser, whatever the shell says: the device code.
    env: { ...fake?.bridge.childEnv(), ...options.env, LOCAL_SIGN_IN: 'device-code' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'lab-02-check', version: '1.0.0' });
  let stderr = '';
  const running: RunningServer = { client, stderr: () => stderr, prompts: 0, transportErrors: [], close: () => client.close() };
  (transport.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    running.prompts += [...chunk.matchAll(/enter the code \S+ to authenticate/g)].length;
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

/** The text parts of a tool result, joined. */
export function toolText(result: object): string {
  return (((result as { content?: unknown }).content ?? []) as Array<{ text?: string }>).map((part) => part.text ?? '').join(' ');
}
