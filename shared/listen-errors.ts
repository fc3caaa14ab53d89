// A server that cannot listen says which setting moves it. Node's own message ("listen EADDRINUSE:
// address already in use 127.0.0.1:3000") names the port, not what to do about it. Used by the lab
// servers' main.ts and by `npm run lab`, which checks the port before it starts a lab's server.
import { loadSettings, type Settings } from './settings.ts';

/** Where the lab's server listens, and the setting that says so: SERVER_LISTEN if set, else SERVER_BASE_URL. */
export interface ListenAddress {
  setting: 'SERVER_LISTEN' | 'SERVER_BASE_URL';
  host: string;
  port: number;
  /** The setting's value with another port: what to suggest. */
  withPort(port: number): string;
}

export function listenAddress(settings: Pick<Settings, 'server'>): ListenAddress {
  const { listen, baseUrl } = settings.server;
  if (listen) {
    const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    return { setting: 'SERVER_LISTEN', host: listen.host, port: listen.port, withPort: (port) => `${host}:${port}` };
  }
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return {
    setting: 'SERVER_BASE_URL',
    host: '127.0.0.1', // the lab servers listen on loopback unless SERVER_LISTEN says otherwise
    port,
    withPort: (other) => {
      const moved = new URL(url);
      moved.port = String(other);
      return moved.origin;
    },
  };
}

/**
 * What to tell the person when the server could not listen at `address`, naming the setting that moves
 * it; undefined when `error` is not about the address (then show it as it is).
 * `command` is how they started it (`npm run lab -- 03`); `freePort` a port to suggest.
 */
export function listenFailure(error: unknown, address: ListenAddress, command: string, freePort = address.port + 1): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const { setting, port } = address;
  if (code === 'EADDRINUSE') {
    return [
      `Port ${port} is already in use: another program listens there (or this server runs already, in another terminal).`,
      `Stop that program, or move this server with the ${setting} setting, for example:`,
      `  ${setting}=${address.withPort(freePort)} ${command}`,
      ...(setting === 'SERVER_BASE_URL' ? ['With a real tenant (live mode), register the new <SERVER_BASE_URL>/auth/callback as a redirect URI first.'] : []),
    ].join('\n');
  }
  if (code === 'EACCES') return `Port ${port} needs administrator rights on this machine: choose a port above 1023 in ${setting}.`;
  if (code === 'EADDRNOTAVAIL') return `This machine has no address ${address.host} to listen on: check ${setting}.`;
  return undefined;
}

/**
 * What a lab server's main.ts prints when the server did not start: for an address it could not listen
 * on, which setting moves it (listenFailure); for anything else, the error's own message.
 */
export function whyNotStarted(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException | undefined)?.syscall !== 'listen') return message;
  try {
    return listenFailure(error, listenAddress(loadSettings({ need: ['server'] })), command) ?? message;
  } catch {
    return message; // the settings themselves are wrong: that is not this error
  }
}
