// An MCP client's side of the flow, for Entra: the SDK's own OAuth client (`auth()`, PKCE, discovery
// through the protected resource metadata) with an `OAuthClientProvider` that knows two facts Entra
// makes a client know in advance: its pre-registered client ID (Entra has no dynamic registration) and
// the API's Application ID URI (Entra accepts no other `resource`: AADSTS9010010).
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import type { OAuthClientInformation, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface EntraClientOptions {
  /** The client's Application (client) ID, registered in advance and pre-authorized for the API's scope. */
  clientId: string;
  /** The API's Application ID URI, `api://{server's client id}`. */
  applicationIdUri: string;
  /** A loopback redirect URI registered for the client, e.g. http://localhost:8400/. */
  redirectUrl: string;
  /** Sends the person's browser to Entra's sign-in page. */
  openBrowser(authorizationUrl: URL): void | Promise<void>;
}

/** Keeps one person's tokens and PKCE verifier in memory, for one MCP server. */
export class EntraOAuthClientProvider implements OAuthClientProvider {
  private saved: OAuthTokens | undefined;
  private verifier = '';

  constructor(private readonly options: EntraClientOptions) {}

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'MCP Workbook Client', redirect_uris: [this.options.redirectUrl], token_endpoint_auth_method: 'none' };
  }

  /** A fresh, unguessable `state` per sign-in: the redirect must carry it back unchanged. */
  state(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Pre-registered: the SDK never tries dynamic registration, which Entra does not offer. */
  clientInformation(): OAuthClientInformation {
    return { client_id: this.options.clientId };
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(authorizationUrl: URL): void | Promise<void> {
    return this.options.openBrowser(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  // TODO(05.5): The RFC 8707 `resource` the SDK sends. Keep the SDK's own check (the metadata's `resource`
  // must be the server you called: refuse anything else), then name the API as Entra knows it, by its
  // Application ID URI, not by the URL it runs at.
  async validateResourceURL(serverUrl: string | URL, resource?: string): Promise<URL | undefined> {
    // #region solution
    if (!resource || !checkResourceAllowed({ requestedResource: serverUrl, configuredResource: resource })) {
      throw new Error(`The protected resource metadata names ${resource ?? 'no resource'}, not the server at ${String(serverUrl)}: refusing to sign in.`);
    }
    return new URL(this.options.applicationIdUri);
    // #endregion
  }
}
