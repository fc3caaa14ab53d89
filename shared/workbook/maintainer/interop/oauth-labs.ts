// Labs 03 and 04 with the Inspector's own OAuth. Their servers are the authorization server for MCP
// clients, so the Inspector's CLI does everything a desktop client does: gets the 401, reads the
// metadata, registers itself (/register), opens /authorize in "the browser" (browser.ts, where the
// person signs in at the fake tenant and is sent back through the server's /auth/callback to the
// Inspector's callback on 127.0.0.1:6276), redeems the code, and calls the tool.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inspectorCliArgs, LAB_TOOLS } from '../../client-commands.ts';
import type { Lab } from '../../manifest.ts';
import { BROWSER_IS_HONOURED, browserReports, inspectorEnv, lastWords, outcome, runInspector } from './inspector.ts';
import { startLabServer } from './lab-server.ts';
import { timedRow, type Row } from './rows.ts';
import type { InteropRun } from './run.ts';

const PERSON = 'megan@contoso.onmicrosoft.com';
const CALL_TIMEOUT_MS = 60_000;

export async function oauthLabRow(lab: Lab, run: InteropRun): Promise<Row> {
  const lab04 = lab.id === '04';
  const tool = LAB_TOOLS[lab.id as '03' | '04'];
  return timedRow(lab.id, 'Inspector CLI, own OAuth', `tools/call ${tool} over ${lab04 ? 'HTTPS' : 'HTTP'}, Megan signs in`, async () => {
    if (!BROWSER_IS_HONOURED) throw new Error(`the Inspector opens its browser through xdg-open, which reads BROWSER, on Linux only (this is ${process.platform})`);
    // Lab 04 keeps its encrypted store in this run's folder, with a key that lives in memory only.
    const env: Record<string, string> = lab04 ? { TOKEN_STORE_PATH: join(run.folder('lab-04'), 'token-store.json'), TOKEN_STORE_KEYS: `interop:${randomBytes(32).toString('base64')}` } : {};
    const server = await startLabServer(lab, run, { scheme: lab04 ? 'https' : 'http', env });
    try {
      const home = run.folder('inspector');
      const report = join(home, 'browser.jsonl');
      const inspector = runInspector(
        inspectorCliArgs({ method: 'tools/call', toolName: tool }, { url: server.mcpUrl }),
        inspectorEnv({ home, caCertPath: run.tenant.certificates.caCertPath, person: { user: PERSON, report } }),
      );
      const { code, stdout } = await outcome(inspector, CALL_TIMEOUT_MS);
      const browser = browserReports(report);
      if (!browser.some((line) => line.outcome === 'arrived')) {
        throw new Error(`the browser never got back to the Inspector: ${browser.map((line) => line.detail).join('; ') || 'it was never opened'}`);
      }
      if (code !== 0 || !stdout.includes(PERSON)) throw new Error(`exit ${code}, no profile of ${PERSON}: ${lastWords(inspector)}`);
    } finally {
      await server.process.stop();
    }
  });
}
