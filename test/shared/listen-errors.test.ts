// A lab server that cannot listen says which setting moves it (shared/listen-errors.ts), in its own
// main.ts as in `npm run lab`: never a raw EADDRINUSE with a stack.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { listenAddress, listenFailure, whyNotStarted } from '#shared/listen-errors.ts';
import { loadSettings } from '#shared/settings.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const taken: Server[] = [];
afterAll(() => Promise.all(taken.map((server) => new Promise((resolve) => server.close(resolve)))));

async function takePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  taken.push(server);
  return (server.address() as AddressInfo).port;
}

const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'), { code: 'EADDRINUSE', syscall: 'listen' });
const settings = (env: Record<string, string>) => loadSettings({ env: { WORKBOOK_MODE: 'mock', ...env }, need: ['server'] });

describe('a port the lab server cannot have', () => {
  test('in use: the message names SERVER_BASE_URL and suggests the same URL on a free port', () => {
    const address = listenAddress(settings({ SERVER_BASE_URL: 'https://localhost:3443' }));
    expect(address).toMatchObject({ setting: 'SERVER_BASE_URL', host: '127.0.0.1', port: 3443 });
    const message = listenFailure(inUse, address, 'npm run lab -- 04', 3444)!;
    expect(message).toContain('Port 3443 is already in use');
    expect(message).toContain('SERVER_BASE_URL=https://localhost:3444 npm run lab -- 04');
  });

  test('behind a gateway, SERVER_LISTEN decides the port, and the message names it', () => {
    const address = listenAddress(settings({ SERVER_BASE_URL: 'https://mcp.contoso.com', SERVER_LISTEN: '[::]:8080', SERVER_TRUST_PROXY: '1' }));
    expect(address).toMatchObject({ setting: 'SERVER_LISTEN', host: '::', port: 8080 });
    expect(listenFailure(inUse, address, 'npx tsx src/main.ts')).toContain('SERVER_LISTEN=[::]:8081 npx tsx src/main.ts');
  });

  test('a port that needs administrator rights, and an error about something else', () => {
    const address = listenAddress(settings({ SERVER_BASE_URL: 'http://localhost:80' }));
    expect(listenFailure({ code: 'EACCES' }, address, 'npm run lab -- 03')).toMatch(/needs administrator rights.*above 1023 in SERVER_BASE_URL/);
    expect(listenFailure(new Error('boom'), address, 'npm run lab -- 03')).toBeUndefined();
    expect(whyNotStarted(new Error('the settings are wrong'), 'npm run lab -- 03'), 'any other error: its own message').toBe('the settings are wrong');
  });

  test("the lab server's main.ts says it, without a stack, and exits 1", async () => {
    const port = await takePort();
    const main = join(REPO_ROOT, 'solutions', '03-confidential-client', 'src', 'main.ts');
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main], {
      env: { PATH: process.env.PATH ?? '', SERVER_BASE_URL: `http://localhost:${port}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`Port ${port} is already in use`);
    expect(stderr).toMatch(/SERVER_BASE_URL=http:\/\/localhost:\d+ npm run lab -- 03/);
    expect(stderr, 'no stack').not.toMatch(/\n\s+at /);
  });
});
