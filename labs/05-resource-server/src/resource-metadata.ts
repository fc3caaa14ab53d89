// RFC 9728 protected resource metadata: how an MCP client that knows only the server's URL finds out
// who issues tokens for it (Entra, your tenant) and which scope to ask for. The MCP authorization
// specification requires it, at the path-specific well-known URL of the MCP endpoint.
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { todo } from '#shared/workbook/todo.ts';

/** The delegated scope a client requests, in the full form Entra needs (the token's `scp` holds only `mcp.tools`). */
export function toolsScope(clientId: string): string {
  return `api://${clientId}/mcp.tools`;
}

/** `https://server/.well-known/oauth-protected-resource/mcp` for the MCP endpoint `https://server/mcp`. */
export function resourceMetadataUrl(mcpUrl: URL): URL {
  return new URL(getOAuthProtectedResourceMetadataUrl(mcpUrl));
}

export interface ResourceMetadataOptions {
  /** The MCP endpoint's public URL, exactly as clients use it. */
  mcpUrl: URL;
  /** The tenant's authority, `https://login.microsoftonline.com/{tenant}`. */
  authority: string;
  /** The server's Application (client) ID. */
  clientId: string;
}

// TODO(05.1): The metadata document: `resource` is the MCP endpoint's URL (the client checks it against
// the URL it called), `authorization_servers` names Entra's v2 endpoint for your tenant, `scopes_supported`
// the full scope, `bearer_methods_supported` the header only.
export function protectedResourceMetadata({ mcpUrl, authority, clientId }: ResourceMetadataOptions): OAuthProtectedResourceMetadata {
  throw todo('05.1');
}
