// An MCP client for a scripted hand run, as the MCP Inspector is one: the SDK's Client over Streamable
// HTTP, with its OAuth memory in memory (oauth-memory.ts). The SDK does the OAuth work: on a 401 it finds
// the server's metadata, registers, and sends a person to sign in; `openBrowser` is that person's browser
// (the hand-run scripts pass the fake tenant's person at a browser, browser-person.ts). Nothing here
// prints a token.
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MemoryOAuthClient } from './oauth-memory.ts';

/** Opens the authorization URL in a browser; resolves where the browser is sent back to, the redirect URL with its query. */
export type OpenBrowser = (authorizationUrl: URL, redirectUrl: string) => Promise<{ url: URL }>;

export class HandRunClient extends MemoryOAuthClient {
  /** How many times this client sent its person to sign in. */
  signIns = 0;
  private arrival?: Promise<URL>;

  constructor(
    name: string,
    private readonly openBrowser: OpenBrowser,
  ) {
    // Where a desktop client would listen for the browser; the person's browser stops there, nothing listens.
    super('http://127.0.0.1:33418/oauth/callback', name);
  }

  /** Connects to the MCP endpoint; when the server answers 401, the person signs in, then it connects again. */
  async connect(mcpUrl: URL): Promise<Client> {
    try {
      return await this.connectOnce(mcpUrl);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !this.arrival) throw error;
    }
    const back = await this.takeArrival();
    if (back.searchParams.get('state') !== this.lastState) throw new Error('the sign-in came back with another state than the client sent: refused');
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`the sign-in came back without a code (error: ${back.searchParams.get('error') ?? 'none given'})`);
    await auth(this, { serverUrl: mcpUrl, authorizationCode: code });
    return this.connectOnce(mcpUrl);
  }

  /** Redeems the refresh token at the server: a new pair of tokens. */
  async refresh(mcpUrl: URL): Promise<void> {
    if ((await auth(this, { serverUrl: mcpUrl })) !== 'AUTHORIZED') throw new Error('the refresh token was refused: the client would have to sign in again');
  }

  private async connectOnce(mcpUrl: URL): Promise<Client> {
    const client = new Client({ name: this.name, version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: this }));
    return client;
  }

  private takeArrival(): Promise<URL> {
    const arrival = this.arrival!;
    this.arrival = undefined;
    return arrival;
  }

  /** The SDK sends the person to sign in: in the browser the script passed. */
  override redirectToAuthorization(authorizationUrl: URL) {
    super.redirectToAuthorization(authorizationUrl);
    this.signIns += 1;
    this.arrival = this.openBrowser(authorizationUrl, this.redirectUrl).then(({ url }) => url);
    this.arrival.catch(() => {}); // connect() reports it
  }

  /** The server refused what the client holds (a dead refresh token, say): forget it, as the Inspector does. */
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
}

/** A tool call's text, and whether it was an error (a refusal by JSON-RPC error counts as one). */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; text: string }> {
  try {
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text?: string }> };
    return { isError: Boolean(result.isError), text: result.content.map((part) => part.text ?? '').join('') };
  } catch (error) {
    return { isError: true, text: error instanceof Error ? error.message : String(error) };
  }
}

/** A token described without showing it: its kind and size, and when it expires. */
export function describeToken(token: string, expiresInSeconds?: number): string {
  const kind = /^eyJ[\w-]+\.eyJ[\w-]+\./.test(token) ? 'a JWT (anyone who holds it can read its claims)' : 'opaque (nothing in it to read: only the server can look it up)';
  return `${token.length} characters, ${kind}${expiresInSeconds ? `, valid for ${expiresInSeconds} s` : ''}`;
}
