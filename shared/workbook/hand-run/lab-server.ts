// The lab's server as a hand-run script runs it: src/main.ts in a process of its own, as
// `npx tsx src/main.ts` starts it, tied to the script (tied-child.ts), with the script's environment.
// Against the local fake tenant (FAKE_TENANT_BRIDGE set) it also loads the fake's register.ts, so its
// Graph calls reach that tenant. Its log shows in the terminal; each line of its stdout (lab 04's audit
// log) goes to `onStdout` as well. `restart()` stops it the way Ctrl+C would and starts it again.
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REGISTER_MODULE } from '../../fake-tenant/transports/bridge.ts';
import { spawnTied, stopChildrenOnExit, type TiedChild } from './tied-child.ts';

export interface LabServer {
  /** Its MCP endpoint, as main.ts printed it ("MCP server: <url>"). */
  mcpUrl: URL;
  /** Resolves when the server ends by itself (a crash, say), with its exit code. */
  exited(): Promise<number>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LabServerOptions {
  /** Each line the server writes to stdout; they are shown in the terminal too, unless this returns false. */
  onStdout?: (line: string) => boolean | void;
}

let stopsWithUs = false;

export async function startLabServer(main: URL, options: LabServerOptions = {}): Promise<LabServer> {
  if (!stopsWithUs) stopChildrenOnExit(); // Ctrl+C, kill, or the hand run gone: the server stops with this script
  stopsWithUs = true;
  let child: TiedChild;
  let mcpUrl: URL;
  const start = async () => {
    child = spawnTied(fileURLToPath(main), {
      imports: process.env.FAKE_TENANT_BRIDGE ? [pathToFileURL(REGISTER_MODULE).href] : [],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.process.stdout! }).on('line', (line) => {
      if (options.onStdout?.(line) !== false) process.stdout.write(`${line}\n`);
    });
    mcpUrl = await listening(child);
  };
  await start();
  return {
    get mcpUrl() {
      return mcpUrl;
    },
    exited: () => child.exited,
    restart: async () => {
      await child.stop('SIGINT');
      await start();
    },
    stop: async () => {
      await child.stop('SIGINT');
    },
  };
}

/** The server's stderr goes to ours; resolves with the URL of its "MCP server: <url>" line, rejects if it stops first. */
function listening(child: TiedChild): Promise<URL> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.process.stderr! }).on('line', (line) => {
      process.stderr.write(`${line}\n`);
      const url = /^MCP server: (\S+)/.exec(line)?.[1];
      if (url) resolve(new URL(url));
    });
    void child.exited.then((code) => reject(new Error(`the server stopped (exit code ${code}) before it listened: its output above says why`)));
  });
}
