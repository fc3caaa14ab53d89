// Lab 04 runs on the target's own lab 03 (its manifest's buildsOn: labs/ holds the learner's, solutions/
// the reference, a submission its own). What lab 04's checks need of it, asked before they lean on it, so
// an unfinished lab 03 fails a lab 04 check with lab 03's next step, not with a 500 from the server.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { todoFailure } from '#shared/workbook/check.ts';
import { importTarget, targetRoot } from '#shared/workbook/target.ts';
import { connect as connectToLab03, requireSteps as requireLab03Steps, signIn as signInToLab03 } from '../03-confidential-client/helpers.ts';
import lab03 from '../03-confidential-client/lab.ts';
import lab from './lab.ts';

/**
 * Lab 04's sign-in, sessions and token store are lab 03's: a lab 03 step still untouched fails the check
 * with that step's TODO ("Lab 04 runs on lab 03, which is not finished: TODO(03.4) ..."). Step 03.5 is
 * not needed: lab 04's tools call Graph their own way.
 */
export function requireLab03(): void {
  try {
    requireLab03Steps('03.1', '03.2', '03.3', '03.4', '03.6', '03.7');
  } catch (error) {
    throw todoFailure(error, lab) ?? error; // said here too, for a caller outside check()
  }
}

/** Lab 03's sign-in (the SDK's OAuth client and the browser's part), once lab 03 is done. */
export async function signIn(...args: Parameters<typeof signInToLab03>): ReturnType<typeof signInToLab03> {
  requireLab03();
  return signInToLab03(...args);
}

/** Lab 03's MCP client connection, once lab 03 is done (its routes run lab 04's guards too). */
export async function connect(...args: Parameters<typeof connectToLab03>): ReturnType<typeof connectToLab03> {
  requireLab03();
  const target = targetRoot();
  if (!lab03RunsGuards.has(target)) lab03RunsGuards.set(target, requireLab03Guards());
  await lab03RunsGuards.get(target);
  return connectToLab03(...args);
}

type McpSessionsModule = typeof import('../../labs/03-confidential-client/src/mcp-sessions.ts');
/** Asked once per target (per file, or per worker where files share one). */
const lab03RunsGuards = new Map<string, Promise<void>>();

/**
 * Lab 04's rate limit and tool roles are guards that lab 03's mcpRoutes runs after its bearer check
 * (lab 03, step 4: "followed by options.guards"). A lab 03 that leaves them out still passes its own
 * checks, so lab 04 asks: lab 03's routes alone, a caller the bearer check accepts, a guard that answers.
 */
async function requireLab03Guards(): Promise<void> {
  const { mcpRoutes } = await importTarget<McpSessionsModule>(lab03, 'src/mcp-sessions.ts');
  const resource = new URL('http://127.0.0.1/');
  const caller = { token: 'lab-04-probe', clientId: 'lab-04-probe', scopes: ['mcp.tools'], expiresAt: Math.floor(Date.now() / 1000) + 600, resource, extra: {} };
  let guarded = false;
  const app = express();
  app.use(express.json());
  app.use(
    mcpRoutes({
      verifier: { verifyAccessToken: async () => caller },
      resource,
      resourceMetadataUrl: 'http://127.0.0.1/.well-known/oauth-protected-resource',
      store: { onSessionEnded: () => {} },
      guards: [
        (_req, res) => {
          guarded = true;
          res.status(429).json({ error: 'the guard answered' });
        },
      ],
      createMcpServer: () => {
        throw new Error('the guard should have answered first');
      },
    }),
  );
  const web = app.listen(0, '127.0.0.1');
  await once(web, 'listening');
  try {
    const { port } = web.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer lab-04-probe' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } } }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
  } finally {
    web.closeAllConnections();
    web.close();
  }
  if (!guarded) {
    throw new Error(
      "Lab 04 runs on lab 03, whose mcpRoutes does not run options.guards after its bearer check: lab 04's rate limit and tool roles " +
        'are those guards. See labs/03-confidential-client/README.md, step 4 (src/mcp-sessions.ts).',
    );
  }
}
