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
      hint: [
        "A tenant has two names Entra accepts: its ID and a domain it has verified. A bare name, a URL or an email address is neither.",
        "The top of src/settings-rules.ts gives you two regular expressions, GUID and DOMAIN: the value is fine when either matches it whole.",
        "if (GUID.test(value) || DOMAIN.test(value)) return undefined;\nreturn 'must be the tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.';",
      ],
    },
    {
      id: '01.1.2', step: '01.1', title: 'a client ID must be a GUID', points: 1,
      hint: [
        "An app has one name that never changes and that Entra uses in every request; its display name is not it. Accept that name exactly as the portal shows it, nothing around it.",
        "Test the value against the GUID regular expression at the top of src/settings-rules.ts: it matches the whole value, so braces or a missing character fail.",
        "if (GUID.test(value)) return undefined;\nreturn 'must be a GUID like 00000000-0000-0000-0000-000000000000 (an Application (client) ID).';",
      ],
    },
    {
      id: '01.1.3', step: '01.1', title: 'a redirect URI uses https, or http on localhost / 127.0.0.1 only', points: 2,
      hint: [
        "Where would a browser really send the code? Judge the host it connects to, not how the text begins: http://localhost.evil.example and http://localhost:3000@evil.example both begin with http://localhost.",
        "Parse the value with the URL class (URL.canParse first, so a value that is not a URL gets a message, not an exception), then look at url.protocol and url.hostname, and at LOOPBACK_HOSTS at the top of the file.",
        "if (!URL.canParse(value)) return 'must be an absolute URL such as https://mcp.contoso.com/auth/callback.';\nconst url = new URL(value);\nif (url.protocol === 'https:') return undefined;\nif (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)) return undefined;\nreturn 'must use https; plain http is only for localhost or 127.0.0.1 while developing.';",
      ],
    },
    {
      id: '01.1.4', step: '01.1', title: 'a confidential client needs a real secret, a public client has none', points: 2,
      hint: [
        "Two kinds of client, two rules: a public client must not have a secret; a confidential one needs a real one. What does a real Entra secret look like, and what do people paste instead?",
        "Decide on the client kind first. For a confidential client, refuse an empty value, a value the GUID expression matches (the Secret ID: say so, with the words Secret ID) and a value shorter than 16 characters (say it is too short).",
        "if (client === 'public') return value ? 'must not be set: a public client cannot keep a secret (anyone with the app can read it).' : undefined;\nif (!value) return 'is not set: a confidential client proves who it is with a client secret.';\nif (GUID.test(value)) return 'looks like the Secret ID (a GUID): copy the secret Value instead.';\nif (value.length < 16) return 'looks too short for an Entra client secret (copy the secret Value, not its ID).';\nreturn undefined;",
      ],
    },
    {
      id: '01.1.5', step: '01.1', title: 'one settings error names every wrong variable, the problem and where to find it', points: 3,
      hint: [
        "A person fixing .env wants every problem at once: collect them all first, then throw once, each naming its variable, what is wrong and where the right value is.",
        "Loop over RULES (each variable with its rule; an unset value reaches the rule as undefined). SETTINGS from shared/settings-catalog.ts holds each variable's `where` text; SettingsError from #shared/settings.ts takes the mode and the list of problems.",
        "const problems: SettingProblem[] = [];\nfor (const [variable, problemOf] of Object.entries(RULES) as Array<[SettingName, (value: string | undefined) => Problem]>) {\n  const problem = problemOf(values[variable]?.trim() || undefined);\n  if (problem) problems.push({ variable, problem, where: SETTINGS[variable].where });\n}\nif (problems.length > 0) throw new SettingsError('live', problems);\n// then return the values; serverRedirectUri is SERVER_BASE_URL without its trailing / plus /auth/callback",
      ],
    },
    {
      id: '01.2.1', step: '01.2', title: 'the local client is a single-tenant public client that may read the user\'s profile', points: 2,
      hint: [
        "Four questions, one answer each: who may sign in, where may Entra send the code, may this app hold a secret, and what may it do for the user?",
        "Besides displayName, four properties of Graph's application (the ApplicationBody type lists them): signInAudience, publicClient.redirectUris, isFallbackPublicClient and requiredResourceAccess. GRAPH_USER_READ, at the top of src/registrations.ts, is the delegated User.Read entry.",
        "return {\n  displayName,\n  signInAudience: 'AzureADMyOrg',\n  publicClient: { redirectUris: ['http://localhost'] },\n  isFallbackPublicClient: true,\n  requiredResourceAccess: [GRAPH_USER_READ],\n};",
      ],
    },
    {
      id: '01.2.2', step: '01.2', title: 'the remote server exposes mcp.tools and two app roles, with v2 tokens', points: 3,
      hint: [
        "A confidential client that is also an API: where its code goes, which token version it wants, the scope and roles it exposes (with the course's ids, not new ones), and what it asks of Graph.",
        "The redirect URI goes under web (not publicClient); the token version and the scope under api (requestedAccessTokenVersion, oauth2PermissionScopes, with its four consent texts); the roles in appRoles, for members of type 'User'. Take the ids from REMOTE_SERVER_SCOPE and REMOTE_SERVER_ROLES.",
        "signInAudience: 'AzureADMyOrg',\nweb: { redirectUris: [`${serverBaseUrl.replace(/\\/+$/, '')}/auth/callback`] },\napi: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: REMOTE_SERVER_SCOPE.id, value: REMOTE_SERVER_SCOPE.value, type: 'User', isEnabled: true, adminConsentDisplayName: text, adminConsentDescription: text, userConsentDisplayName: text, userConsentDescription: text }] },\nappRoles: [reader, admin], // each { id: REMOTE_SERVER_ROLES.reader.id, value: REMOTE_SERVER_ROLES.reader.value, displayName, description, allowedMemberTypes: ['User'], isEnabled: true }\nrequiredResourceAccess: [GRAPH_USER_READ],",
      ],
    },
    {
      id: '01.3.1', step: '01.3', title: 'register creates both apps, their service principals, the API\'s URI and a working secret', points: 4,
      hint: [
        "Both apps, a service principal for each, the server's api://{appId} and one secret with a bounded lifetime: each created once, and the secret ends in .env.",
        "The Graph client you are given builds each request: graph.api(path), then .get(), .post(body) or .patch(body). The paths are /applications, /servicePrincipals, /applications/{id} (its identifierUris) and /applications/{id}/addPassword, whose passwordCredential carries an endDateTime of now + secretLifetimeDays.",
        "const start = new Date(); const end = new Date(start.getTime() + lifetimeDays * DAY_MS);\nconst credential = await step(`adding a client secret to '${app.displayName}'`, () =>\n  graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'mcp-workbook register', startDateTime: start.toISOString(), endDateTime: end.toISOString() } }));\n// credential.secretText is the secret: shown in this one answer only",
      ],
    },
    {
      id: '01.3.2', step: '01.3', title: 'running register twice creates nothing new and keeps the secret', points: 3,
      hint: [
        "A second run must find everything the first created and create nothing, and keep the secret only when Entra still knows it for this app. What if a name holds a quote, or two apps share it?",
        "Look each app up with an OData $filter on displayName (a ' inside the string is written twice) before posting it, and the service principal with a $filter on appId. Keep the secret .env holds only when SERVER_CLIENT_ID is this app and one of app.passwordCredentials has its hint (first three characters) and has not expired.",
        "const odataString = (value: string) => `'${value.replaceAll(\"'\", \"''\")}'`;\nconst found = await graph.api('/applications').filter(`displayName eq ${odataString(body.displayName)}`).select(APPLICATION_FIELDS).get();\nif (found.value.length > 1) throw new RegistrationError(`${found.value.length} app registrations are named ...`);\n// ...\nconst saved = current.SERVER_CLIENT_ID === app.appId ? current.SERVER_CLIENT_SECRET : undefined;\nif (saved && app.passwordCredentials.some((c) => c.hint === saved.slice(0, 3) && (!c.endDateTime || Date.parse(c.endDateTime) > Date.now()))) { /* keep it */ }",
      ],
    },
    {
      id: '01.3.3', step: '01.3', title: 'the secret is shown only masked, in every log line', points: 2,
      hint: [
        "Every line you print may end up in a CI log or a chat: the secret appears in none of them in full, and neither does the result register returns.",
        "maskSecret keeps the first three characters (the portal's hint) and adds …***. Log maskSecret(secret), never the secret, and return the masked value in `written`.",
        "export function maskSecret(secret: string): string {\n  return `${secret.slice(0, 3)}…***`;\n}\nlog(`Added a client secret to '${app.displayName}' (${maskSecret(credential.secretText)}), valid until ${credential.endDateTime.slice(0, 10)}.`);",
      ],
    },
    {
      id: '01.3.4', step: '01.3', title: '.env is private (mode 0600) and keeps your other lines', points: 2,
      hint: [
        "Another account on the machine must not read .env at any moment, a crash must not leave half a file, and your own lines stay.",
        "Replace the lines of the variables you write, keep every other line, append the new ones. Write the result to a temporary file beside .env, created with mode 0o600 (writeFileSync's mode option), then renameSync it over .env: never chmod afterwards, never write .env in place.",
        "const temporary = `${path}.${process.pid}.tmp`;\nwriteFileSync(temporary, `${merged.join('\\n')}\\n`, { mode: 0o600, flag: 'wx' });\nrenameSync(temporary, path);",
      ],
    },
    {
      id: '01.4.1', step: '01.4', title: 'no permission (403) says which role and permission you need', points: 2,
      hint: [
        "\"Insufficient privileges\" tells a person what failed, not what to ask for. Which role and which permission let someone register apps?",
        "In explainGraphError, switch on error.statusCode; for 403 return a RegistrationError that names the step (doing), the Application Administrator role and the Application.ReadWrite.All permission (PERMISSION_HELP says both).",
        "case 403:\n  return new RegistrationError(`Microsoft Graph refused ${doing}: you are not allowed to manage app registrations. ${PERMISSION_HELP}`);",
      ],
    },
    {
      id: '01.4.2', step: '01.4', title: 'throttling (429) after the client\'s retries says to wait and run again', points: 2,
      hint: [
        "By the time a 429 reaches your code, the Graph client has already waited and retried. What should the person do now, and what happens to the work already done?",
        "Case 429 in explainGraphError: a RegistrationError that says to wait and run the command again, and that it resumes (it finds what it created).",
        "case 429:\n  return new RegistrationError(`Microsoft Graph refused ${doing}: Graph is throttling requests (429 Too Many Requests) even after retrying. Wait a minute, then run the command again: it finds what it already created and goes on from there.`);",
      ],
    },
    {
      id: '01.4.3', step: '01.4', title: 'an invalid sign-in (401) says to sign in again', points: 1,
      hint: [
        "A 401 means the token itself is no good here: expired, or issued for another API. What is the one thing to do?",
        "Case 401 in explainGraphError: a RegistrationError that says to sign in again.",
        "case 401:\n  return new RegistrationError(`Microsoft Graph refused ${doing}: your sign-in is not valid for Microsoft Graph (expired, or issued for another API). Sign in again and re-run the command.`);",
      ],
    },
    {
      id: '01.4.4', step: '01.4', title: 'a duplicate (400 identifierUris, 409 service principal) says what to do', points: 2,
      hint: [
        "A duplicate is not the same problem twice: an identifier URI another app owns needs a person; a service principal created meanwhile is found on the next run. And any other failure still gets a clear message, with no raw body.",
        "400 with identifierUris in error.message (or error.body): another app already uses the URI. 409: the object exists already; running again finds and reuses it. Any other status: name the step and Graph's code and message, never error.body.",
        "case 409:\n  return new RegistrationError(`${failed} the object already exists (${error.code}). Someone or something created it at the same time: run the command again, and it will find and reuse it.`);\ncase 400:\n  if (/identifierUris/i.test(`${error.message} ${error.body ?? ''}`)) return new RegistrationError(`${failed} another app registration already uses this Application ID URI. Remove it from that app, then run the command again.`);\n  // fall through\ndefault:\n  return new RegistrationError(`${failed} ${error.statusCode} ${error.code ?? ''}: ${error.message}`);",
      ],
    },
  ],
  handRun: {
    script: 'src/main.ts',
    args: ['--env-path', '../../.workbook/lab-01.env', '--name-suffix', ' (hand run)'],
    description: 'Registers the apps in the local fake tenant: sign in with the device code it prints, then read the .env it wrote (secret masked).',
  },
});
