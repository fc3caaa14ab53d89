// Every way the course tells you to connect an MCP client to a lab's server: the MCP Inspector (its web
// UI and its CLI), VS Code's `.vscode/mcp.json` and Claude Desktop's `claude_desktop_config.json`. Made
// here and nowhere else: lab 02's hand run prints them with your machine's paths, the guides show them
// between `client-command` markers (maintainer/guide-commands.ts), and `npm run interop` runs the Inspector with
// the very same arguments, so every command the course shows is one the real Inspector was seen to run.

/** The Inspector's package on npm: `npx @modelcontextprotocol/inspector ...` runs it. */
export const INSPECTOR_PACKAGE = '@modelcontextprotocol/inspector';

/** A stdio server, as an MCP client starts it: a command, its arguments, the variables it gets. */
export interface StdioServer {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A remote server: its MCP endpoint (Streamable HTTP). */
export interface HttpServer {
  url: string;
}

/** What the Inspector's CLI does once connected. */
export type InspectorMethod = { method: 'tools/list' } | { method: 'tools/call'; toolName: string };

/** How the Inspector's CLI authenticates to a remote server, when it must. */
export interface InspectorAuth {
  /** `--header "Authorization: Bearer ..."`: a token you already have (lab 05). */
  bearerToken?: string;
  /** `--client-id`: a pre-registered client, for an authorization server without dynamic registration (Entra). */
  clientId?: string;
  /** `--callback-url`: where the browser comes back (default http://127.0.0.1:6276/oauth/callback). */
  callbackUrl?: string;
}

/**
 * The Inspector CLI's callback moved to the path `/`, which Entra accepts for a loopback public client
 * registered as `http://127.0.0.1` (its default, `http://127.0.0.1:6276/oauth/callback`, it refuses).
 */
export const ROOT_CALLBACK_URL = 'http://127.0.0.1:6276/';

const isStdio = (server: StdioServer | HttpServer): server is StdioServer => 'command' in server;

/**
 * The Inspector CLI's arguments (after `npx @modelcontextprotocol/inspector`). The order matters with
 * Inspector 2.x: `--cli` first (the launcher reads its mode from the leading arguments only: anywhere
 * else, the web UI starts), then the method and options, and the server last: a command after `--`
 * (options after it go to the server: "Method is required"), or `--server-url <url>` (a bare URL after
 * `--header`, which takes any number of values, would be read as one more header).
 */
export function inspectorCliArgs(call: InspectorMethod, server: StdioServer | HttpServer, auth: InspectorAuth = {}): string[] {
  const method = call.method === 'tools/call' ? ['--method', 'tools/call', '--tool-name', call.toolName] : ['--method', call.method];
  if (isStdio(server)) return ['--cli', ...method, ...envOptions(server.env), '--', server.command, ...server.args];
  return [
    '--cli',
    ...method,
    ...(auth.bearerToken === undefined ? [] : ['--header', `Authorization: Bearer ${auth.bearerToken}`]),
    ...(auth.clientId === undefined ? [] : ['--client-id', auth.clientId]),
    ...(auth.callbackUrl === undefined ? [] : ['--callback-url', auth.callbackUrl]),
    '--server-url',
    server.url,
  ];
}

/** The Inspector's web UI with a stdio server filled in (a remote server's URL is typed into the UI). */
export function inspectorWebArgs(server: StdioServer): string[] {
  return [...envOptions(server.env), '--', server.command, ...server.args];
}

/** The arguments as a command to paste into a POSIX shell; `inspectorEnv` is for the Inspector itself. */
export function inspectorCommand(args: string[], inspectorEnv: Record<string, string> = {}): string {
  const env = Object.entries(inspectorEnv).map(([name, value]) => `${name}=${shellQuote(value)} `);
  return `${env.join('')}npx ${INSPECTOR_PACKAGE}${args.map((arg) => ` ${shellQuote(arg)}`).join('')}`;
}

/** `.vscode/mcp.json`, with the server under `name`. */
export function vsCodeConfig(name: string, server: StdioServer | HttpServer): object {
  return { servers: { [name]: isStdio(server) ? { type: 'stdio', ...server } : { type: 'http', url: server.url } } };
}

/** Claude Desktop's `claude_desktop_config.json` (stdio servers), with the server under `name`. */
export function claudeDesktopConfig(name: string, server: StdioServer): object {
  return { mcpServers: { [name]: server } };
}

function envOptions(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

/**
 * One argument for a POSIX shell: as it is when nothing in it is special, in double quotes when it names
 * a shell variable on purpose (`Authorization: Bearer $TOKEN`), in single quotes otherwise.
 */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  if (/\$[A-Za-z_]\w*/.test(value) && !/["\\`]/.test(value)) return `"${value}"`;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** The tool each lab's server offers, as a client calls it. */
export const LAB_TOOLS = {
  '02': 'GetUserDetailsFromGraph',
  '03': 'getUserDetails',
  '04': 'getUserDetails',
  '05': 'whoami',
} as const;

/** The name lab 02's server goes by in a client's configuration. */
export const LAB_02_SERVER_NAME = 'entra-local';

/**
 * `mcpdo`, the Inspector package's connection CLI: `connect` starts the server once and keeps it (in its
 * daemon) for the `tools/call`s that follow, as a desktop client keeps its servers. A stdio server comes
 * last, after `--`. `--elicit off` declares no elicitation: the server answers as it does any plain client.
 */
export function mcpdoConnectArgs(connection: string, server: StdioServer): string[] {
  return ['connect', '--connection', connection, '--elicit', 'off', ...envOptions(server.env), '--', server.command, ...server.args];
}

export function mcpdoCallArgs(connection: string, toolName: string): string[] {
  return ['--format', 'json', '--connection', connection, 'tools/call', toolName];
}

/** mcpdo's arguments as a command for a POSIX shell: it is the package's second bin. */
export function mcpdoCommand(args: string[]): string {
  return `npx -p ${INSPECTOR_PACKAGE} mcpdo${args.map((arg) => ` ${shellQuote(arg)}`).join('')}`;
}
