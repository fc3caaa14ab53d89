// `npm run interop`: the real MCP Inspector (interop/, its own install) against each lab's server from
// the target (the reference solutions, unless WORKBOOK_TARGET names another copy), under the fake tenant
// as a local HTTPS authority. Everything runs on this machine, on loopback; what it starts, it stops.
// One row per lab and client, then `N passed, N failed`; the exit code is 1 when any row failed.
// Its parts are in interop/: the run's surroundings (run.ts), the processes (processes.ts), the Inspector
// (inspector.ts) and its headless browser (browser.ts), and one file per kind of lab.
import pc from 'picocolors';
import { discoverLabs, findLab } from '../labs.ts';
import { displayPath } from '../repo.ts';
import { targetRoot } from '../target.ts';
import { lab02Rows } from './interop/lab-02.ts';
import { lab05Rows } from './interop/lab-05.ts';
import { oauthLabRow } from './interop/oauth-labs.ts';
import { stopAll } from './interop/processes.ts';
import { summaryLine, tableHeader, tableRow, type Row } from './interop/rows.ts';
import { startRun } from './interop/run.ts';

export async function runInterop(): Promise<number> {
  const started = performance.now();
  const labs = await discoverLabs();
  const lab = (id: string) => findLab(labs, id);
  console.log(pc.dim(`The MCP Inspector against the servers in ${displayPath(targetRoot())}/, under the fake tenant on loopback.\n`));
  const run = await startRun();
  const rows: Row[] = [];
  const report = (more: Row | Row[]) => {
    for (const row of [more].flat()) {
      rows.push(row);
      console.log(tableRow(row));
    }
  };
  // Ctrl+C, or CI's timeout: what this run started stops with it (each in a process group of its own).
  const interrupted = () => void stopAll().then(() => run.close()).then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    console.log(tableHeader());
    report(await lab02Rows(lab('02'), run));
    report(await oauthLabRow(lab('03'), run));
    report(await oauthLabRow(lab('04'), run));
    report(await lab05Rows(lab('05'), run));
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopAll();
    await run.close();
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n${summaryLine(rows)}`);
  return rows.every((row) => row.ok) ? 0 : 1;
}
