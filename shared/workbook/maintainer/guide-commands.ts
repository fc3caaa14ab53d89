// The client commands the guides show, made by client-commands.ts like every other. In a guide, each
// sits between markers, so `npm run client-commands` can rewrite it and a test can prove it unchanged:
//
//   <!-- client-command: 03.inspector-cli -->
//   ```bash
//   npx @modelcontextprotocol/inspector --cli --method tools/call --tool-name getUserDetails http://localhost:3000/mcp
//   ```
//   <!-- /client-command -->
//
// The guides show the defaults a learner's hand run has; `npm run interop` runs the same commands with
// the addresses and paths of its own run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APPS } from '../../entra/built-in-tenant.ts';
import { SETTINGS } from '../../settings-catalog.ts';
import {
  inspectorCliArgs,
  inspectorCommand,
  LAB_02_SERVER_NAME,
  mcpdoCallArgs,
  mcpdoCommand,
  mcpdoConnectArgs,
  ROOT_CALLBACK_URL,
  LAB_TOOLS,
  vsCodeConfig,
  type StdioServer,
} from '../client-commands.ts';
import { REPO_ROOT } from '../repo.ts';

/** Labs 03 and 05 by hand: SERVER_BASE_URL's default. */
const SERVER_URL = `${SETTINGS.SERVER_BASE_URL.default}/mcp`;
/** Lab 04 by hand: the SERVER_BASE_URL its hand run sets (test/04-best-practices/lab.ts). */
const LAB_04_URL = 'https://localhost:3443/mcp';
/** Lab 04's server and the fake tenant use certificates of the local CA, which the Inspector (Node) must trust. */
const TRUST_LOCAL_CA = { NODE_EXTRA_CA_CERTS: '.workbook/certs/ca.crt' };

/** Lab 02's server in live mode, as a learner's machine starts it (the hand run prints the real paths). */
export const LAB_02_LIVE_SERVER: StdioServer = {
  command: 'node',
  args: ['--import', 'file:///path/to/workbook/node_modules/tsx/dist/loader.mjs', '/path/to/workbook/labs/02-public-client/src/server.ts'],
  env: { WORKBOOK_MODE: 'live' },
};

/** Lab 02's reference server as `npm run interop` starts it: a hand run's, against the local tenant (its port varies). */
export const LAB_02_INTEROP_SERVER: StdioServer = {
  command: 'node',
  args: [
    '--import',
    'file:///path/to/workbook/node_modules/tsx/dist/loader.mjs',
    '--import',
    'file:///path/to/workbook/shared/fake-tenant/transports/register.ts',
    '/path/to/workbook/solutions/02-public-client/src/server.ts',
  ],
  env: {
    NODE_EXTRA_CA_CERTS: '/path/to/workbook/.workbook/certs/ca.crt',
    ENTRA_AUTHORITY_HOST: 'https://localhost:8443',
    FAKE_TENANT_BRIDGE: 'https://localhost:8443',
    TOKEN_CACHE_DIR: '/path/to/token-cache',
  },
};

const bash = (text: string) => ({ language: 'bash', text });
const json = (value: object) => ({ language: 'json', text: JSON.stringify(value, null, 2) });

/** Every block a guide may show, by id: `<lab>.<what>`. */
export const GUIDE_COMMANDS: Record<string, { language: string; text: string }> = {
  '02.inspector-cli': bash(inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['02'] }, LAB_02_LIVE_SERVER))),
  '02.vscode': json(vsCodeConfig(LAB_02_SERVER_NAME, LAB_02_LIVE_SERVER)),
  '03.inspector-web': bash(inspectorCommand([])),
  '03.inspector-cli': bash(inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['03'] }, { url: SERVER_URL }))),
  '04.inspector-web': bash(inspectorCommand([], TRUST_LOCAL_CA)),
  '04.inspector-cli': bash(inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['04'] }, { url: LAB_04_URL }), TRUST_LOCAL_CA)),
  '05.inspector-web': bash(inspectorCommand([], TRUST_LOCAL_CA)),
  '05.inspector-cli-oauth': bash(
    [
      inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['05'] }, { url: SERVER_URL }, { clientId: APPS.mcpClient }), TRUST_LOCAL_CA),
      inspectorCommand(
        inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['05'] }, { url: SERVER_URL }, { clientId: APPS.mcpClient, callbackUrl: ROOT_CALLBACK_URL }),
        TRUST_LOCAL_CA,
      ),
    ].join('\n'),
  ),
  '05.inspector-cli-token': bash(inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['05'] }, { url: SERVER_URL }, { bearerToken: '$TOKEN' }))),
  '05.vscode': json(vsCodeConfig('workbook', { url: SERVER_URL })),
  'interop.02': bash(
    [
      mcpdoCommand(mcpdoConnectArgs('lab-02', LAB_02_INTEROP_SERVER)),
      mcpdoCommand(mcpdoCallArgs('lab-02', LAB_TOOLS['02'])),
      mcpdoCommand(['daemon', 'stop']),
      inspectorCommand(inspectorCliArgs({ method: 'tools/call', toolName: LAB_TOOLS['02'] }, LAB_02_INTEROP_SERVER)),
    ].join('\n'),
  ),
};

/** A block as the guide holds it, between its markers, each line indented by `indent` (inside a list item). */
export function guideBlock(id: string, indent = ''): string {
  const command = GUIDE_COMMANDS[id];
  if (!command) throw new Error(`No client command "${id}" (known: ${Object.keys(GUIDE_COMMANDS).join(', ')}).`);
  const lines = [`<!-- client-command: ${id} -->`, `\`\`\`${command.language}`, ...command.text.split('\n'), '\`\`\`', '<!-- /client-command -->'];
  return lines.map((line) => indent + line).join('\n');
}

const BLOCK = /^([ \t]*)<!-- client-command: ([\w.-]+) -->\n[\s\S]*?^[ \t]*<!-- \/client-command -->/gm;

/** The blocks of a page, in order: their id, and the text the page holds. */
export function guideBlocks(markdown: string): Array<{ id: string; text: string; indent: string }> {
  return [...markdown.matchAll(BLOCK)].map((match) => ({ id: match[2]!, text: match[0], indent: match[1]! }));
}

/** The page with every block rewritten from GUIDE_COMMANDS. */
export function withGuideBlocks(markdown: string): string {
  return markdown.replace(BLOCK, (_block, indent: string, id: string) => guideBlock(id, indent));
}

/** What a page holds of the Inspector, VS Code or Claude Desktop commands outside its blocks: none, once it is right. */
export function commandsOutsideBlocks(markdown: string): string[] {
  const outside = markdown.replace(BLOCK, '');
  return [...outside.matchAll(/^.*(?:npx @modelcontextprotocol\/inspector|"mcpServers"|"servers": \{).*$/gm)].map((match) => match[0].trim());
}

/** The pages that may hold blocks: every Markdown page under labs/ and docs/. */
export function guidePages(root = REPO_ROOT): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : entry.name.endsWith('.md') ? [path] : [];
    });
  return ['labs', 'docs'].flatMap((folder) => walk(join(root, folder)));
}
