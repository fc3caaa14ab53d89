// Loaded first in a tied child process (`node --import <this file> ...`, see tied-child.ts): the child
// ends when the process that started it ends, however that ends. Ctrl+C and `kill` give the parent time
// to stop its children; `kill -9` (or a crash) gives it none. So the parent opens an IPC channel to the
// child, and when the parent is gone the operating system closes it: the child then stops itself with
// SIGTERM, and its own handlers (a server closing, a tied child of its own) run as for any other stop.
// Nothing here writes to stdout: a stdio MCP server's stdout is its JSON-RPC channel.
import { TIED_MARKER } from './tied-marker.ts';

const stop = () => {
  setTimeout(() => process.exit(1), 5_000).unref(); // a handler that stops nothing does not keep it alive
  process.kill(process.pid, 'SIGTERM');
};

if (process.env[TIED_MARKER]) {
  delete process.env[TIED_MARKER]; // what this process starts is tied by its own spawn, not by inheritance
  // The parent may be gone already, while this process was still loading: then its channel closed unheard.
  if (!process.connected) stop();
  else {
    process.channel?.unref(); // the channel alone keeps nobody alive
    process.once('disconnect', stop);
  }
}
