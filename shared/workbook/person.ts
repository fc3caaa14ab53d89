// A person in a check: someone who signs in. In mock mode the fake tenant plays them. In live mode a
// real person does it, but only when WORKBOOK_INTERACTIVE=1 says one is at the keyboard: the check then
// prints what to do and waits, for WORKBOOK_PERSON_TIMEOUT seconds at most (default 180). Without it,
// such checks skip and say why, so `npm test` in live mode (or CI) never waits for nobody.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pc from 'picocolors';
import { beforeEach } from 'vitest';
import { currentMode } from '../settings.ts';

export const NEEDS_PERSON = 'needs a person to sign in: set WORKBOOK_INTERACTIVE=1 to do it yourself (see docs/live-mode.md)';

/** How long a check waits for a person, in milliseconds. */
export function personTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.WORKBOOK_PERSON_TIMEOUT ?? 180);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 180) * 1000;
}

/** Whether a live check may wait for a person; undefined means yes (or mock mode, where none is needed). */
export function noPersonReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return currentMode(env) === 'live' && env.WORKBOOK_INTERACTIVE !== '1' ? NEEDS_PERSON : undefined;
}

/** Call at the top of a check file whose checks need a person in live mode. */
export function usePerson(): void {
  const reason = noPersonReason();
  if (reason) beforeEach((context) => context.skip(reason));
}

/** Tells the person at the terminal what to do (stderr: vitest's output stays readable). */
export function tellPerson(lines: string[]): void {
  process.stderr.write(`\n${pc.bold(pc.yellow('▶ Your turn'))} ${pc.dim(`(waiting up to ${personTimeoutMs() / 1000} s)`)}\n${lines.map((line) => `  ${line}`).join('\n')}\n\n`);
}

export interface RedirectCatcher {
  /** Where the person's browser is sent back to: http://localhost:<port>. */
  redirectUri: string;
  /** The URL the browser arrived at (with its code and state), within the timeout. */
  arrival: Promise<URL>;
  close(): Promise<void>;
}

/**
 * What a desktop MCP client does for a browser sign-in, as MSAL's own loopback client does it: a
 * listener on 127.0.0.1 and a free port, named http://localhost:<port>, that catches the redirect back
 * and tells the person they may close the tab. Entra ignores the port of a loopback redirect URI, so
 * it matches a registered `http://localhost`; the path must match, so there is none.
 */
export async function catchRedirect(timeoutMs = personTimeoutMs()): Promise<RedirectCatcher> {
  let arrived!: (url: URL) => void;
  let failed!: (error: Error) => void;
  const arrival = new Promise<URL>((resolve, reject) => {
    arrived = resolve;
    failed = reject;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/') return void res.writeHead(404).end(); // the browser's favicon request, say
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>Signed in. You can close this tab and go back to the terminal.</p>');
    arrived(new URL(req.url!, redirectUri));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://localhost:${(server.address() as AddressInfo).port}`;
  const timer = setTimeout(() => failed(new Error(`Nobody signed in within ${timeoutMs / 1000} s (WORKBOOK_PERSON_TIMEOUT).`)), timeoutMs);
  return {
    redirectUri,
    arrival: arrival.finally(() => clearTimeout(timer)),
    close: () => {
      clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
