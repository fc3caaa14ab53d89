// `npx tsx src/main.ts`: the hardened server, with the encrypted token store and the audit log on stdout.
// `npm run lab -- 04` starts it on https://localhost:3443 against the local fake tenant. In production:
// SERVER_TLS_* (its own certificate) or SERVER_TRUST_PROXY (a gateway ends TLS), and SERVER_LISTEN.
import { whyNotStarted } from '#shared/listen-errors.ts';
import { loadSettings } from '#shared/settings.ts';
import { createAuditLog } from './audit.ts';
import { EncryptedFileTokenStore } from './encrypted-token-store.ts';
import { startServer } from './server.ts';
import { storeSettings } from './store-keys.ts';

try {
  const log = createAuditLog();
  const store = await EncryptedFileTokenStore.open({ ...storeSettings(), log });
  const server = await startServer({ settings: loadSettings({ need: ['server'] }), store, msalCache: store.msalCachePlugin(), log });
  console.error(`MCP server: ${server.mcpUrl.href}`);
  console.error('Connect an MCP client (the MCP Inspector, say) to it: the client is sent to sign in. Ctrl+C stops.');
  process.once('SIGINT', () => void server.close());
} catch (error) {
  // A port already in use names the setting that moves the server (SERVER_BASE_URL); anything else, as it is.
  console.error(whyNotStarted(error, 'npm run lab -- 04'));
  process.exitCode = 1;
}
