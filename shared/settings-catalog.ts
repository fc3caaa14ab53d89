// Every setting the workbook reads: its rule, what it is for and where in the Entra admin center
// (https://entra.microsoft.com) its value is found. `.env.example` is checked against this list.
import { z } from 'zod';
// The rules are the ones lab 01 has the learner write; the workbook runs the reference copy of them,
// so the course text, the lab and the workbook's own settings can never disagree.
import {
  clientIdProblem,
  clientSecretProblem,
  redirectUriProblem,
  tenantIdProblem,
  type Problem,
} from '../solutions/01-registration/src/settings-rules.ts';

/** A zod schema that trims the value and applies one of the rules. */
const rule = (problemOf: (value: string) => Problem) =>
  z
    .string()
    .trim()
    .superRefine((value, context) => {
      const problem = problemOf(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });

function parseUrl(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
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
    where: 'Your choice, in your shell (not in .env): WORKBOOK_MODE=live npm test. Leave it unset for mock mode.',
    example: 'mock',
    default: 'mock',
  },
  ENTRA_TENANT_ID: {
    schema: rule(tenantIdProblem),
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
  REGISTRAR_CLIENT_ID: {
    schema: rule(clientIdProblem),
    description: 'Lab 01: the public client an administrator signs in with to register the apps through Graph.',
    where: 'Microsoft Entra admin center > App registrations > your admin tool (a public client with the delegated Graph permission Application.ReadWrite.All) > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  LOCAL_CLIENT_ID: {
    schema: rule(clientIdProblem),
    description: 'Lab 02: the local stdio server\'s public client.',
    where: 'Microsoft Entra admin center > Identity > Applications > App registrations > MCP Workbook Local Client > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  SERVER_CLIENT_ID: {
    schema: rule(clientIdProblem),
    description: 'Labs 03-05: the remote MCP server (a confidential client and an API).',
    where: 'Microsoft Entra admin center > Identity > Applications > App registrations > MCP Workbook Remote Server > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
  SERVER_CLIENT_SECRET: {
    schema: rule((value) => clientSecretProblem(value, 'confidential')),
    description: 'Labs 03-05: the remote server\'s client secret. Keep it out of git.',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Remote Server > Certificates & secrets > Client secrets > the Value column (shown once, when you create it).',
    example: '',
  },
  SERVER_BASE_URL: {
    // The redirect URI is `${SERVER_BASE_URL}/auth/callback`, so the origin follows the redirect URI rule.
    schema: origin('where the remote MCP server listens').pipe(rule(redirectUriProblem)),
    description: 'Labs 03-05: the server\'s public origin. `/auth/callback` under it must be a registered redirect URI.',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Remote Server > Authentication > Web > Redirect URIs (register <SERVER_BASE_URL>/auth/callback).',
    example: 'http://localhost:3000',
    default: 'http://localhost:3000',
  },
  MCP_CLIENT_ID: {
    schema: rule(clientIdProblem),
    description: 'Lab 05: the MCP client\'s pre-registered client id (Entra has no dynamic client registration).',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Client > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
