// Lab 01's manifest: the app registrations as code, created through Microsoft Graph, and the settings
// the later labs read.
import { defineLab } from '#shared/workbook/manifest.ts';

export default defineLab({
  id: '01',
  slug: '01-registration',
  title: 'Register the apps',
  summary: 'Describe the app registrations as code, create them idempotently through Microsoft Graph, and write validated settings to .env.',
  steps: [
    { id: '01.1', title: 'Validate the settings', file: 'src/settings-rules.ts', readme: '#step-1-validate-the-settings' },
    { id: '01.2', title: 'Describe the registrations', file: 'src/registrations.ts', readme: '#step-2-describe-the-registrations' },
    { id: '01.3', title: 'Register through Microsoft Graph', file: 'src/register.ts', readme: '#step-3-register-through-microsoft-graph' },
    { id: '01.4', title: 'Explain Graph errors', file: 'src/graph-errors.ts', readme: '#step-4-explain-graph-errors' },
  ],
  checks: [
    {
      id: '01.1.1', step: '01.1', title: 'a tenant is its ID (a GUID) or a verified domain', points: 2,
      hint: ['Accept a GUID or a DNS name such as contoso.onmicrosoft.com; return a message for anything else.', 'Test the value against the GUID and DOMAIN regular expressions at the top of src/settings-rules.ts.'],
    },
    {
      id: '01.1.2', step: '01.1', title: 'a client ID must be a GUID', points: 1,
      hint: 'Entra names every app by its Application (client) ID, a GUID: test against GUID.',
    },
    {
      id: '01.1.3', step: '01.1', title: 'a redirect URI uses https, or http on localhost / 127.0.0.1 only', points: 2,
      hint: ['Parse the value with new URL() (URL.canParse first).', 'https: is fine anywhere; http: only when url.hostname is in LOOPBACK_HOSTS.'],
    },
    {
      id: '01.1.4', step: '01.1', title: 'a confidential client needs a real secret, a public client has none', points: 2,
      hint: ['Two kinds of client, two rules: a public client must not have a secret; a confidential one must.', 'For a confidential client, refuse an empty value, a GUID (that is the Secret ID) and anything shorter than 16 characters.'],
    },
    {
      id: '01.1.5', step: '01.1', title: 'one settings error names every wrong variable, the problem and where to find it', points: 3,
      hint: ['Run every rule in RULES and collect the problems before throwing.', "Each problem is { variable, problem, where: SETTINGS[variable].where }; throw new SettingsError('live', problems)."],
    },
    {
      id: '01.2.1', step: '01.2', title: 'the local client is a single-tenant public client that may read the user\'s profile', points: 2,
      hint: ['signInAudience, publicClient.redirectUris, isFallbackPublicClient, requiredResourceAccess: four fields besides displayName.', "requiredResourceAccess holds Graph's app id and User.Read's id with type 'Scope' (GRAPH_USER_READ)."],
    },
    {
      id: '01.2.2', step: '01.2', title: 'the remote server exposes mcp.tools and two app roles, with v2 tokens', points: 3,
      hint: ['The redirect URI is the base URL with /auth/callback, under web (not publicClient).', 'Use the ids in REMOTE_SERVER_SCOPE and REMOTE_SERVER_ROLES, requestedAccessTokenVersion 2, and Graph User.Read.'],
    },
    {
      id: '01.3.1', step: '01.3', title: 'register creates both apps, their service principals, the API\'s URI and a working secret', points: 4,
      hint: ['POST /applications, POST /servicePrincipals { appId }, PATCH identifierUris, POST addPassword: in that order.', 'The secret must end in .env as SERVER_CLIENT_SECRET; its endDateTime is start + secretLifetimeDays.'],
    },
    {
      id: '01.3.2', step: '01.3', title: 'running register twice creates nothing new and keeps the secret', points: 3,
      hint: ['Look the app up with $filter=displayName eq \'...\' before creating it, and the service principal with appId eq \'...\'.', 'Keep the secret .env holds only when SERVER_CLIENT_ID is this app and the app still has an unexpired credential with that hint; double every \' in a $filter string.'],
    },
    {
      id: '01.3.3', step: '01.3', title: 'the secret is shown only masked, in every log line', points: 2,
      hint: ['maskSecret keeps the first three characters (the portal\'s hint) and adds …***.', 'Log maskSecret(secret), never the secret; check the result\'s `written` too.'],
    },
    {
      id: '01.3.4', step: '01.3', title: '.env is private (mode 0600) and keeps your other lines', points: 2,
      hint: ['Replace the lines of the variables you write, keep every other line, append the new ones.', 'writeFileSync(temporary, text, { mode: 0o600 }) then renameSync(temporary, path): never chmod afterwards, never write .env in place.'],
    },
    {
      id: '01.4.1', step: '01.4', title: 'no permission (403) says which role and permission you need', points: 2,
      hint: "Case 403: name the Application Administrator role and the Application.ReadWrite.All permission.",
    },
    {
      id: '01.4.2', step: '01.4', title: 'throttling (429) after the client\'s retries says to wait and run again', points: 2,
      hint: 'Case 429: the Graph client has already retried; tell the person to wait and re-run (it resumes).',
    },
    {
      id: '01.4.3', step: '01.4', title: 'an invalid sign-in (401) says to sign in again', points: 1,
      hint: 'Case 401: the token is expired or for another API; say "sign in again".',
    },
    {
      id: '01.4.4', step: '01.4', title: 'a duplicate (400 identifierUris, 409 service principal) says what to do', points: 2,
      hint: ['400 with identifierUris in the message: another app already uses the URI.', '409: the object exists already; running again finds and reuses it.', 'Any other status: name the step and Graph\'s code and message, never its raw body (error.body).'],
    },
  ],
  handRun: {
    script: 'src/main.ts',
    args: ['--env-path', '../../.workbook/lab-01.env', '--name-suffix', ' (hand run)'],
    description: 'Registers the apps in the local fake tenant: sign in with the device code it prints, then read the .env it wrote (secret masked).',
  },
});
