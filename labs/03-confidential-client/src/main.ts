// `npx tsx src/main.ts`: the remote MCP server on the base URL from the settings (SERVER_BASE_URL,
// http://localhost:3000 in mock mode). `npm run lab -- 03` starts it against the local fake tenant.
import { whyNotStarted } from '#shared/listen-errors.ts';
import { startServer } from './server.ts';

try {
  const server = await startServer();
  console.error(`MCP server: ${server.mcpUrl.href}`);
  console.error('Connect an MCP client (the MCP Inspector, say) to it: the client is sent to sign in. Ctrl+C stops.');
  process.once('SIGINT', () => void server.close());
} catch (error) {
  // A port already in use names the setting that moves the server (SERVER_BASE_URL); anything else, as it is.
  console.error(whyNotStarted(error, 'npm run lab -- 03'));
  process.exitCode = 1;
}
