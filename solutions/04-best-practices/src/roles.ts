// Role-based access. An administrator assigns users the server's app roles in Entra ID (MCP.Reader,
// MCP.Admin); Entra puts them in the `roles` claim of the id token it issues to this server. The roles
// decide which tools a user sees in tools/list and which they may call. Deny by default: a tool nobody
// listed is nobody's, and a user with no role gets nothing.
import type { AccountInfo } from '@azure/msal-node';
import { REMOTE_SERVER_ROLES } from '#shared/entra/course-apps.ts';

/** The role values Entra puts in the `roles` claim: the ones lab 01 registered. */
export const APP_ROLES = { reader: REMOTE_SERVER_ROLES.reader.value, admin: REMOTE_SERVER_ROLES.admin.value } as const;

/**
 * Who may call each tool: the one place access is decided. A Map, not an object: `TOOL_ROLES.get(name)`
 * answers only for the tools put in it, where `object[name]` also answers for `constructor`, `toString`
 * or `__proto__`, which every object inherits, and a client may send any name.
 */
export const TOOL_ROLES: ReadonlyMap<string, readonly string[]> = new Map([
  ['getUserDetails', [APP_ROLES.reader, APP_ROLES.admin]],
  ['endUserSessions', [APP_ROLES.admin]],
]);

// TODO(04.2): The app roles in the signed-in user's id token claims (none if the claim is missing).
export function rolesOf(account: AccountInfo | null | undefined): string[] {
  // #region solution
  // #starter return [];
  const roles = account?.idTokenClaims?.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  // #endregion
}

// TODO(04.2): May someone holding `roles` call `tool`? Only if TOOL_ROLES lists one of their roles for it.
export function mayCall(roles: readonly string[], tool: string): boolean {
  // #region solution
  // #starter return true; // everyone may call everything, as in lab 03: see step 2 in the README
  return TOOL_ROLES.get(tool)?.some((role) => roles.includes(role)) ?? false;
  // #endregion
}
