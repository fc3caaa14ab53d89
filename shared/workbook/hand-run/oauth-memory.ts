// What an MCP client must remember for OAuth, kept in memory as the MCP Inspector keeps it: its
// registration, the PKCE verifier, the state it sent, its tokens. The MCP SDK asks for these through
// OAuthClientProvider and does the OAuth work itself. The hand runs' client (mcp-client.ts) builds on it,
// and so do lab 03's checks; neither ever prints what it holds.
import { randomUUID } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export class MemoryOAuthClient implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  /** The `state` of the last authorization request, to compare with the one that comes back. */
  lastState = '';
  /** Where the SDK last sent the person to sign in. */
  authorizationUrl?: URL;

  constructor(
    /** Where a desktop client would listen for the browser coming back. */
    readonly redirectUrl: string,
    /** The name the client registers under. */
    protected readonly name: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none', // a public client: PKCE, no secret
    };
  }
  state() {
    return (this.lastState = randomUUID());
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
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}
