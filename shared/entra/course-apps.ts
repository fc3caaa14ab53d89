// The course's own app registrations: their names, and the ids of the scope and app roles the remote
// server exposes. We chose these GUIDs once and never change them (tokens, consents and role assignments
// refer to them), so lab 01 writes the same ones into your tenant that the built-in fake tenant holds.

/** The names the course gives its registrations; the lab guides and the settings' "where" texts use them. */
export const DISPLAY_NAMES = {
  localClient: 'MCP Workbook Local Client',
  remoteServer: 'MCP Workbook Remote Server',
} as const;

/** The remote server's delegated scope: a client asks for `api://{server client id}/mcp.tools`. */
export const REMOTE_SERVER_SCOPE = { id: '2c7d9e4f-1a3b-4c5d-8e6f-7a8b9c0d1e2f', value: 'mcp.tools' } as const;

/** The remote server's app roles, assigned to people; they arrive in the `roles` claim. */
export const REMOTE_SERVER_ROLES = {
  reader: { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', value: 'MCP.Reader' },
  admin: { id: 'f0e1d2c3-b4a5-4968-8776-655443322110', value: 'MCP.Admin' },
} as const;
