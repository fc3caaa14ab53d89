// The client commands the course shows (the MCP Inspector, VS Code, Claude Desktop) are made in one
// place, shared/workbook/client-commands.ts, which `npm run interop` runs: a guide holds them only
// between `client-command` markers, each exactly as generated, the same ones in English and in Chinese;
// no source file writes one by hand; and the Inspector's arguments are in the order Inspector 2.x needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectorCliArgs, inspectorCommand, shellQuote } from '#shared/workbook/client-commands.ts';
import { commandsOutsideBlocks, GUIDE_COMMANDS, guideBlocks, guidePages, withGuideBlocks } from '#shared/workbook/maintainer/guide-commands.ts';
import { REPO_ROOT } from '#shared/workbook/repo.ts';

const pages = guidePages().map((path) => ({ page: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));

describe('the guides', () => {
  test('every client-command block is the generated one (npm run client-commands writes them)', () => {
    const stale = pages.filter(({ text }) => withGuideBlocks(text) !== text).map(({ page }) => page);
    expect(stale, 'pages whose blocks differ from shared/workbook/client-commands.ts: run npm run client-commands').toEqual([]);
  });

  test('no client command is written by hand, outside the blocks', () => {
    const handWritten = pages.flatMap(({ page, text }) => commandsOutsideBlocks(text).map((line) => `${page}: ${line}`));
    expect(handWritten, 'put each between <!-- client-command: id --> markers (shared/workbook/maintainer/guide-commands.ts)').toEqual([]);
  });

  test('a lab guide and its Chinese translation show the same commands', () => {
    for (const lab of readdirSync(join(REPO_ROOT, 'labs')).filter((name) => /^\d\d-/.test(name))) {
      const english = guideBlocks(readFileSync(join(REPO_ROOT, 'labs', lab, 'README.md'), 'utf8')).map(({ id }) => id);
      const chinese = guideBlocks(readFileSync(join(REPO_ROOT, 'docs', 'zh-CN', 'labs', `${lab}.md`), 'utf8')).map(({ id }) => id);
      expect(chinese, `docs/zh-CN/labs/${lab}.md shows what labs/${lab}/README.md shows`).toEqual(english);
    }
  });

  test('every generated command is shown somewhere', () => {
    const shown = new Set(pages.flatMap(({ text }) => guideBlocks(text).map(({ id }) => id)));
    expect(Object.keys(GUIDE_COMMANDS).filter((id) => !shown.has(id)), 'commands no page shows').toEqual([]);
  });
});

test('no source file but client-commands.ts writes the Inspector\'s package or command in a string', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('node_modules'))
      .map((entry) => join(entry.parentPath, entry.name));
  const naming = ['labs', 'solutions', 'shared', 'scripts']
    .flatMap((dir) => sources(join(REPO_ROOT, dir)))
    .filter((file) => !file.endsWith(join('workbook', 'client-commands.ts')) && /['"`](npx )?@modelcontextprotocol\/inspector/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(REPO_ROOT, file));
  expect(naming, 'make the command with shared/workbook/client-commands.ts').toEqual([]);
});

describe('the Inspector CLI\'s arguments', () => {
  const call = { method: 'tools/call', toolName: 'whoami' } as const;

  test('--cli comes first and a stdio server last, after --, with its variables before it', () => {
    const args = inspectorCliArgs(call, { command: 'node', args: ['server.ts'], env: { A: '1' } });
    expect(args).toEqual(['--cli', '--method', 'tools/call', '--tool-name', 'whoami', '-e', 'A=1', '--', 'node', 'server.ts']);
  });

  test('a remote server comes last, as --server-url, after the headers (--header takes any number of values)', () => {
    const args = inspectorCliArgs(call, { url: 'http://localhost:3000/mcp' }, { bearerToken: '$TOKEN', clientId: 'id', callbackUrl: 'http://127.0.0.1:6276/' });
    expect(args.slice(0, 1)).toEqual(['--cli']);
    expect(args.slice(-2)).toEqual(['--server-url', 'http://localhost:3000/mcp']);
    expect(args).toContain('Authorization: Bearer $TOKEN');
  });

  test('a command for a POSIX shell quotes what needs it, and leaves a named variable to the shell', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote('Authorization: Bearer $TOKEN')).toBe('"Authorization: Bearer $TOKEN"');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(inspectorCommand(['--cli'], { NODE_EXTRA_CA_CERTS: '.workbook/certs/ca.crt' })).toBe('NODE_EXTRA_CA_CERTS=.workbook/certs/ca.crt npx @modelcontextprotocol/inspector --cli');
  });
});
