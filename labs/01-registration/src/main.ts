// `npx tsx src/main.ts [--env-path .env] [--server-base-url URL] [--name-suffix TEXT] [--secret-days N]`
// Signs an administrator in (device code), registers the course's apps and writes .env. Progress and the
// sign-in prompt go to stderr; the summary of what .env now holds (secret masked) goes to stdout.
// (The option is --env-path, not --env-file: Node 20 takes --env-file for itself wherever it appears.)
import { parseArgs } from 'node:util';
import { loadSettings } from '#shared/settings.ts';
import { adminTokenProvider, graphClient } from './graph-client.ts';
import { DEFAULT_SECRET_LIFETIME_DAYS, register } from './register.ts';
import { DISPLAY_NAMES } from './registrations.ts';

const { values: args } = parseArgs({
  options: {
    'env-path': { type: 'string', default: '.env' },
    'server-base-url': { type: 'string' },
    'name-suffix': { type: 'string', default: '' },
    'secret-days': { type: 'string', default: String(DEFAULT_SECRET_LIFETIME_DAYS) },
  },
});

try {
  const secretDays = Number(args['secret-days']);
  if (!Number.isInteger(secretDays) || secretDays < 1 || secretDays > 730) {
    throw new Error(`--secret-days must be a whole number of days from 1 to 730, not "${args['secret-days']}".`);
  }
  const settings = loadSettings({ need: ['registrar'] }); // the tenant, its sign-in host, the admin tool
  const getAccessToken = adminTokenProvider({ settings, clientId: settings.registrarClientId });
  const result = await register({
    graph: graphClient(getAccessToken),
    envFile: args['env-path'],
    tenantId: settings.tenantId,
    serverBaseUrl: args['server-base-url'] ?? settings.server.baseUrl,
    names: {
      localClient: `${DISPLAY_NAMES.localClient}${args['name-suffix']}`,
      remoteServer: `${DISPLAY_NAMES.remoteServer}${args['name-suffix']}`,
    },
    secretLifetimeDays: secretDays,
  });
  console.log(`\n${args['env-path']} now holds:`);
  for (const [name, value] of Object.entries(result.written)) console.log(`  ${name}=${value}`);
} catch (error) {
  // The message says what to do; a stack trace would only bury it (and the error carries no token).
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
