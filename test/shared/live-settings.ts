// A complete, valid set of live-mode settings for the settings and doctor tests (made-up values).
export const LIVE = {
  WORKBOOK_MODE: 'live',
  ENTRA_TENANT_ID: 'contoso.onmicrosoft.com',
  REGISTRAR_CLIENT_ID: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
  LOCAL_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  SERVER_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  SERVER_CLIENT_SECRET: 'a-long-enough-client-secret~value',
  SERVER_BASE_URL: 'https://mcp.contoso.com',
  MCP_CLIENT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};
