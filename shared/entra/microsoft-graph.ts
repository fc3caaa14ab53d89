// Microsoft Graph as every Entra tenant knows it: its application id and the ids of the permissions the
// course uses. Microsoft chose these once; they are the same in every tenant, so code that registers
// apps in a real tenant (lab 01) and the built-in fake tenant both take them from here.

/** Microsoft Graph's application id (the resource behind https://graph.microsoft.com). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Graph's delegated permissions (`oauth2PermissionScopes`) the course uses, with Graph's real ids. */
export const GRAPH_SCOPES = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.ReadBasic.All': 'b340eb25-3456-403f-be2f-af7a0d370277',
  'Application.ReadWrite.All': 'bdfbf15f-ee85-4955-8675-146e8e5296b5',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
  profile: '14dad69e-099b-42c9-810b-d002981feec1',
  email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
} as const;

/** Graph's application permissions (app roles) an app would use with client credentials. */
export const GRAPH_APP_ROLES = {
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
} as const;
