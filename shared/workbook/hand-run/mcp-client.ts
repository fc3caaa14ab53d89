// An MCP client for a scripted hand run, as the MCP Inspector is one: the SDK's Client over Streamable
// HTTP, with an OAuthClientProvider that keeps in memory what a client must remember (its registration,
// the PKCE verifier, the state it sent, its tokens). The SDK does the OAuth work: on a 401 it finds the
// server's metadata, registers, and sends a person to sign in; `openBrowser` is that person's browser
// (the hand-run scripts pass the fake tenant's person at a browser, browser-person.ts). Nothing here prints a token.
import { randomUUID } from 'node:crypto';
import { auth, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** Opens the authorization URL in a browser; resolves where the browser is sent back to, the redirect URL with its query. */
export type OpenBrowser = (authorizationUrl: URL, redirectUrl: string) => Promise<{ url: URL }>;

export class HandRunClient implements OAuthClientProvider {
  /** Where a desktop client would listen for the browser; the person's browser stops there, nothing listens. */
  readonly redirectUrl = 'http://127.0.0.1:33418/oauth/callback';
  /** How many times this client sent its person to sign in. */
  signIns = 0;
  private client?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier = '';
  private sentState = '';
  private arrival?: Promise<URL>;

  constructor(
    private readonly name: string,
    private readonly openBrowser: OpenBrowser,
  ) {}

  /** Connects to the MCP endpoint; when the server answers 401, the person signs in, then it connects again. */
  async connect(mcpUrl: URL): Promise<Client> {
    try {
      return await this.connectOnce(mcpUrl);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !this.arrival) throw error;
    }
    const back = await this.takeArrival();
    if (back.searchParams.get('state') !== this.sentState) throw new Error('the sign-in came back with another state than the client sent: refused');
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

  // What the SDK asks of a client's OAuth memory.
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    return (this.sentState = randomUUID());
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(client: OAuthClientInformationMixed) {
    this.client = client;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
  redirectToAuthorization(authorizationUrl: URL) {
    this.signIns += 1;
    this.arrival = this.openBrowser(authorizationUrl, this.redirectUrl).then(({ url }) => url);
    this.arrival.catch(() => {}); // connect() reports it
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
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
