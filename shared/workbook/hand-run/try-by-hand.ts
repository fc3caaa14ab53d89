// The frame of a scripted hand run (`npm run lab -- 03`, `-- 04`): under the fake tenant, the script's
// tour of the lab's server, then the server left running for a client of your own until Ctrl+C; against
// a real tenant, no tour (its sign-in page is for a person: a script does not pretend to be one), only
// what to open. The lab's script keeps what is about its lab: the tour itself.
import type { LabServer } from './lab-server.ts';

/** A step of the tour, as a heading. */
export const step = (title: string) => console.log(`\n== ${title}`);
/** A line under the current step. */
export const show = (line: string) => console.log(`   ${line}`);

export interface TryByHandOptions {
  /** The last line of "Your turn": how the run ends (default: Ctrl+C stops the server and the fake tenant). */
  stopping?: string;
}

/** Runs the tour, then waits for the server to end; the process's exit code is the server's, or 1 when the tour stopped. */
export async function tryByHand(server: LabServer, tour: () => Promise<void>, options: TryByHandOptions = {}): Promise<void> {
  if (!process.env.FAKE_TENANT_BRIDGE) {
    show(`Against your own tenant, sign in yourself: connect the MCP Inspector (npx @modelcontextprotocol/inspector)`);
    show(`to ${server.mcpUrl.href} with transport Streamable HTTP, and sign in in the browser it opens.`);
    show('The README\'s "Try it by hand" shows the steps. Ctrl+C stops the server.');
    process.exitCode = await server.exited();
    return;
  }
  try {
    await tour();
  } catch (error) {
    console.error(`\nThe hand run stopped: ${error instanceof Error ? error.message : String(error)}`);
    console.error('The server\'s output above says which step stopped it (a TODO of this lab, say).');
    await server.stop();
    process.exitCode = 1;
    return;
  }
  step('Your turn');
  show(`The server keeps running on ${server.mcpUrl.href}: connect a client of your own (the README's "Try it by hand").`);
  show(options.stopping ?? 'Ctrl+C stops it, and the fake tenant.');
  process.exitCode = await server.exited();
}
