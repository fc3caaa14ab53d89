// The built-in tenant's public identity: the tenant id and client ids mock mode uses as its settings
// (shared/settings.ts), and the fake tenant is built with (shared/fake-tenant/default-tenant.ts). Plain
// values, no fake behind them: live mode reads its own from .env and never uses these.

export const TENANT_ID = '4f1c2a9e-6b3d-4e8a-9c71-2d5e8f0a1b3c';
export const TENANT_DOMAIN = 'contoso.onmicrosoft.com';

/** Client ids of the registrations the labs use (mock mode reads these as its settings). */
export const APPS = {
  /** Lab 02: the local stdio server's public client. */
  localClient: '7b2e9c41-0d5a-4f6e-8a13-5c9d2e7f1a04',
  /** Labs 03-05: the remote MCP server (a confidential client and an API). */
  remoteServer: 'c3a8f1d2-5e7b-4a96-b0c4-8d1e6f2a9b57',
  /** Lab 05: an MCP client with a pre-registered client id (Entra has no dynamic registration). */
  mcpClient: 'e5d4c3b2-a190-4f8e-9d7c-6b5a4e3d2c1f',
  /** Lab 01 (mock mode): the tool that registers apps through Graph on an admin's behalf. */
  registrar: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
} as const;

/**
 * The remote server's client secret in the built-in tenant. It is a fake value, published on purpose so
 * the course runs offline; a real secret never belongs in source code.
 */
export const REMOTE_SERVER_SECRET = 'fake~secret~for~the~workbook~only~0123456789';
