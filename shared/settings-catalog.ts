// Every setting the workbook reads: its rule, what it is for and where in the Entra admin center
// (https://entra.microsoft.com) its value is found. `.env.example` is checked against this list.
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const guid = (what: string) =>
  z.string().trim().regex(GUID, { message: `must be a GUID like 00000000-0000-0000-0000-000000000000 (${what}).` });

function parseUrl(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
}

/** http is allowed only on the loopback host, for development; anything reachable must be https. */
function isDevOrHttps(value: string): boolean {
  const url = parseUrl(value);
  if (!url) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

const origin = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => parseUrl(v)?.pathname === '/', {
      message: `must be an origin such as https://mcp.contoso.com (${what}), with no path.`,
    });

export interface SettingSpec {
  schema: z.ZodType<string>;
  description: string;
  where: string;
  example: string;
  default?: string;
}

export const SETTINGS = {
  WORKBOOK_MODE: {
    schema: z.enum(['mock', 'live']),
    description: 'mock (the built-in fake tenant, offline) or live (your own Entra tenant).',
    where: 'Your choice: leave it unset for mock mode.',
    example: 'mock',
    default: 'mock',
  },
  ENTRA_TENANT_ID: {
    schema: z
      .string()
      .trim()
      .refine((v) => GUID.test(v) || DOMAIN.test(v), {
        message: 'must be the tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.',
      }),
    description: 'Your Entra tenant: its ID or a verified domain.',
    where: 'Microsoft Entra admin center > Identity > Overview > Tenant ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  ENTRA_AUTHORITY_HOST: {
    schema: z.string().trim().refine((v) => parseUrl(v)?.protocol === 'https:', {
      message: 'must be an https URL (msal-node refuses an http authority).',
    }),
    description: 'The sign-in host. Leave the default unless you run the local fake tenant by hand.',
    where: 'Leave unset: https://login.microsoftonline.com (the public cloud).',
    example: 'https://login.microsoftonline.com',
    default: 'https://login.microsoftonline.com',
  },
  LOCAL_CLIENT_ID: {
    schema: guid('the local public client, lab 02'),
    description: 'Lab 02: the local stdio server\'s public client.',
    where: 'Microsoft Entra admin center > Identity > Applications > App registrations > MCP Workbook Local Client > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  SERVER_CLIENT_ID: {
    schema: guid('the remote MCP server, labs 03-05'),
    description: 'Labs 03-05: the remote MCP server (a confidential client and an API).',
    where: 'Microsoft Entra admin center > Identity > Applications > App registrations > MCP Workbook Remote Server > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  SERVER_CLIENT_SECRET: {
    schema: z.string().min(16, { message: 'looks too short for an Entra client secret (copy the secret Value, not its ID).' }),
    description: 'Labs 03-05: the remote server\'s client secret. Keep it out of git.',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Remote Server > Certificates & secrets > Client secrets > the Value column (shown once, when you create it).',
    example: '',
  },
  SERVER_BASE_URL: {
    schema: origin('where the remote MCP server listens').refine(isDevOrHttps, {
      message: 'must use https; plain http is only for localhost or 127.0.0.1 while developing.',
    }),
    description: 'Labs 03-05: the server\'s public origin. `/auth/callback` under it must be a registered redirect URI.',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Remote Server > Authentication > Web > Redirect URIs (register <SERVER_BASE_URL>/auth/callback).',
    example: 'http://localhost:3000',
    default: 'http://localhost:3000',
  },
  MCP_CLIENT_ID: {
    schema: guid('the pre-registered MCP client, lab 05'),
    description: 'Lab 05: the MCP client\'s pre-registered client id (Entra has no dynamic client registration).',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Client > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
