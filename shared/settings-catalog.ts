// Every setting the workbook reads: its rule, what it is for and where in the Entra admin center
// (https://entra.microsoft.com) its value is found. `.env.example` is checked against this list.
import { z } from 'zod';
// The same rules lab 01 has the learner write, in the workbook's own copy (lab 01's checks compare the two).
import { clientIdProblem, clientSecretProblem, redirectUriProblem, tenantIdProblem, type Problem } from './settings-rules.ts';

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
  /** Read only in mock mode, by the hand runs (npm run lab, npm run tenant): live mode ignores it. */
  mockOnly?: true;
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
  LOCAL_SIGN_IN: {
    schema: z.string().trim().pipe(z.enum(['auto', 'browser', 'device-code'], { error: 'must be auto, browser or device-code.' })),
    description: 'Lab 02: how the local server signs you in when its token cache cannot: browser (the system browser opens Entra\'s sign-in page and returns to a loopback address), device-code (you open a page on any device and enter a code), or auto (browser when this session has a desktop browser, device code otherwise).',
    where: 'Your choice. Browser sign-in needs the public client redirect URI http://localhost (App registrations > MCP Workbook Local Client > Authentication > Mobile and desktop applications); the device code needs Allow public client flows = Yes.',
    example: 'auto',
    default: 'auto',
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
  // Lab 04 in production: a certificate of its own, and the gateway in front of it. All optional.
  SERVER_TLS_CERT_FILE: {
    schema: z.string().trim().min(1),
    description: 'Lab 04: the server\'s own certificate for an https SERVER_BASE_URL, a PEM file with its chain (with SERVER_TLS_KEY_FILE). Unset: the development certificate.',
    where: 'Your certificate authority, or Azure Key Vault > Certificates > your certificate > Download in PEM format. Unset for local tries.',
    example: '/etc/mcp-server/tls/server.crt',
  },
  SERVER_TLS_KEY_FILE: {
    schema: z.string().trim().min(1),
    description: 'Lab 04: the private key of SERVER_TLS_CERT_FILE, a PEM file. Keep it out of git, readable by the server alone (mode 0600).',
    where: 'Made with the certificate request (openssl req -newkey), or in the PEM you downloaded from Key Vault.',
    example: '/etc/mcp-server/tls/server.key',
  },
  SERVER_TLS_PFX_FILE: {
    schema: z.string().trim().min(1),
    description: 'Lab 04: instead of the two PEM files, one PKCS#12 (.pfx) file holding the certificate, its chain and its key.',
    where: 'Azure Key Vault > Certificates > your certificate > Download in PFX/PEM format, or your certificate authority\'s export.',
    example: '/etc/mcp-server/tls/server.pfx',
  },
  SERVER_TLS_PFX_PASSPHRASE: {
    schema: z.string(),
    description: 'Lab 04: the passphrase of SERVER_TLS_PFX_FILE, if it has one. A secret: keep it out of git.',
    where: 'Chosen when the .pfx was exported (Key Vault\'s downloads have none).',
    example: '',
  },
  SERVER_LISTEN: {
    schema: z.string().trim().regex(/^(\[[\da-f:.]+\]|[\w.-]+):([1-9]\d{0,4})$/i, {
      message: 'must be host:port, such as 0.0.0.0:8080 or [::]:8080 (the address the server accepts connections on).',
    }),
    description: 'Lab 04: the address and port the server listens on, when it differs from SERVER_BASE_URL (behind a gateway, in a container). Unset: 127.0.0.1 and the port of SERVER_BASE_URL.',
    where: 'Your platform: the port App Service or Container Apps sends traffic to (8080, say), on 0.0.0.0.',
    example: '0.0.0.0:8080',
  },
  SERVER_TRUST_PROXY: {
    // Express's `trust proxy`: only these peers may say, in X-Forwarded-Proto and -For, how a request arrived.
    schema: z.string().trim().refine(
      (value) =>
        /^[1-9]\d*$/.test(value) ||
        value.split(',').every((part) => ['loopback', 'linklocal', 'uniquelocal'].includes(part.trim()) ||
          [z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()].some((format) => format.safeParse(part.trim()).success)),
      {
        message:
          'must be the number of proxies in front of the server (1 behind App Service or Container Apps) or their addresses ' +
          '(10.0.1.0/24, loopback, ...), comma-separated. Never true: every client could then claim https and any address.',
      },
    ),
    description: 'Lab 04 behind a gateway that ends TLS: how many proxies stand in front of the server, or their addresses. Their X-Forwarded-Proto is then believed (HSTS, secure requests) and, with no certificate of its own, the server listens on plain HTTP behind them. Unset: no proxy is trusted.',
    where: 'Your platform: Azure App Service and Container Apps put one proxy in front (1); an Application Gateway or API Management in your network: its subnet.',
    example: '1',
  },
  FAKE_TENANT_PORT: {
    schema: z.string().trim().regex(/^[1-9]\d{0,4}$/, { message: 'must be a port number, such as 8444.' }).refine((v) => Number(v) <= 65535, {
      message: 'must be a port number up to 65535.',
    }),
    description: 'Mock mode, hand runs: the port of the local fake tenant (https://localhost:<port>) that npm run lab and npm run tenant start or reuse.',
    where: 'Your choice, in your shell (not in .env): FAKE_TENANT_PORT=8444 npm run lab -- 04, when another program holds port 8443.',
    example: '8443',
    default: '8443',
    mockOnly: true,
  },
  MCP_CLIENT_ID: {
    schema: rule(clientIdProblem),
    description: 'Lab 05: the MCP client\'s pre-registered client id (Entra has no dynamic client registration).',
    where: 'Microsoft Entra admin center > App registrations > MCP Workbook Client > Overview > Application (client) ID.',
    example: '00000000-0000-0000-0000-000000000000',
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
