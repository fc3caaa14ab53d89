// The ports a hand run needs, checked before anything starts: the lab server's (SERVER_BASE_URL, or
// SERVER_LISTEN) must be free, and a taken one is refused with the setting that moves it, never with a
// raw EADDRINUSE from deep inside the lab's server.
import { createServer } from 'node:net';
import { listenFailure, type ListenAddress } from '#shared/listen-errors.ts';
import { HandRunError } from './hand-run-error.ts';

/** Throws a HandRunError that says what to do when nothing can listen at `address`. */
export async function requireFreePort(address: ListenAddress, command: string): Promise<void> {
  const error = await tryListen(address.host, address.port);
  if (!error) return;
  const message = listenFailure(error, address, command, await nextFreePort(address.host, address.port));
  throw message ? new HandRunError(message) : error;
}

/** The first port after `port` that nothing listens on (for a suggestion; a guess, not a reservation). */
export async function nextFreePort(host: string, port: number): Promise<number> {
  for (let candidate = port + 1; candidate < Math.min(port + 50, 65536); candidate += 1) {
    if (!(await tryListen(host, candidate))) return candidate;
  }
  return port + 1;
}

/** Listens on host:port and closes at once: undefined if that worked, else the error. */
function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
