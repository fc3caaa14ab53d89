// `npm run lab -- 05`: the resource server on SERVER_BASE_URL (http://localhost:3000 by default), its
// MCP endpoint at /mcp. Connect an MCP client with a pre-registered client ID (see the README).
import { whyNotStarted } from '#shared/listen-errors.ts';
import { loadSettings } from '#shared/settings.ts';
import { startResourceServer } from './server.ts';

try {
  const settings = loadSettings({ need: ['server', 'mcpClient'] });
  const base = new URL(settings.server.baseUrl);
  const server = await startResourceServer({ settings, baseUrl: base.origin, port: Number(base.port || 80), host: base.hostname });
  console.error(`MCP endpoint:        ${server.url.href}`);
  console.error(`Resource metadata:   ${new URL('/.well-known/oauth-protected-resource/mcp', server.url).href}`);
  console.error(`Sign in with client: ${settings.mcpClientId} (scope api://${settings.server.clientId}/mcp.tools)`);
  console.error('Press Ctrl+C to stop.');
  process.once('SIGINT', () => void server.close());
} catch (error) {
  // A port already in use names the setting that moves the server (SERVER_BASE_URL); anything else, as it is.
  console.error(whyNotStarted(error, 'npm run lab -- 05'));
  process.exitCode = 1;
}
