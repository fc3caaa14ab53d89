// Two things every process that mocks the network with msw needs, in the parent and in a child alike.
import type { SetupServer } from 'msw/node';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `url` names this machine (a loopback host), which the offline rule lets through. */
export function isLoopback(url: string): boolean {
  return URL.canParse(url) && LOOPBACK_HOSTS.has(new URL(url).hostname);
}

/** Shaped like a Node network error (`code`, `errno`), so msw fails the request as a network error. */
class OfflineError extends Error {
  readonly code = 'ERR_WORKBOOK_OFFLINE';
  readonly errno = -1;
}

/**
 * msw's `onUnhandledRequest` for the workbook: loopback (a lab's own server, the bridge, the local HTTPS
 * tenant) goes to the network; anything else fails loudly: a line on stderr, and the caller's fetch
 * rejects as if the network were down, so no check can ever reach the internet. Only the origin and
 * path are named: a query string or a body may hold a code or a secret.
 */
export function offlineGuard(request: Request): void {
  const url = new URL(request.url);
  if (LOOPBACK_HOSTS.has(url.hostname)) return;
  const message =
    `Offline: ${request.method} ${url.origin}${url.pathname} was not sent. The workbook runs without ` +
    'internet access; only login.microsoftonline.com, graph.microsoft.com and loopback are served.';
  console.error(message);
  throw new OfflineError(message);
}

/**
 * msw clones every response for its `response:*` events. With Node's fetch, `cancel()` on the original's
 * body never settles while that clone is unread, which hangs the MCP Streamable HTTP client (it awaits
 * `response.body.cancel()`; mswjs/interceptors#712, #799). Reading each clone to its end lets it settle.
 * (Cancelling the clone also fixes fetch, but crashes a `node:https` client with "Controller is already
 * closed": for those, msw's event response is the live stream of the HTTP parser, not a copy.)
 */
export function cancelResponseClones(server: Pick<SetupServer, 'events'>): void {
  const drainClone = ({ response }: { response: Response }) => {
    response.body?.pipeTo(new WritableStream()).catch(() => {});
  };
  server.events.on('response:mocked', drainClone);
  server.events.on('response:bypass', drainClone);
}
