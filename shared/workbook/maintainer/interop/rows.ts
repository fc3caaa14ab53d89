// What `npm run interop` reports: one row per lab and client, what it called, ✓ or ✗, and how long it
// took; on a failure, why (redacted: no query strings, no tokens). The last line counts them.
import pc from 'picocolors';
import { redact } from './processes.ts';

export interface Row {
  lab: string;
  client: string;
  called: string;
  ok: boolean;
  ms: number;
  /** Why it failed (or a note on how it passed). */
  detail?: string;
}

/** Runs one row's work: it passes unless `work` throws; what it returns is the row's note. */
export async function timedRow(lab: string, client: string, called: string, work: () => Promise<string | void>): Promise<Row> {
  const started = performance.now();
  try {
    const note = await work();
    return { lab, client, called, ok: true, ms: performance.now() - started, ...(note ? { detail: note } : {}) };
  } catch (error) {
    return { lab, client, called, ok: false, ms: performance.now() - started, detail: redact(error instanceof Error ? error.message : String(error)) };
  }
}

const WIDTHS = { lab: 3, client: 28, called: 70 };

export function tableHeader(): string {
  return pc.bold(`${'lab'.padEnd(WIDTHS.lab)}  ${'client'.padEnd(WIDTHS.client)}  ${'called'.padEnd(WIDTHS.called)}  result    time`);
}

export function tableRow(row: Row): string {
  const result = row.ok ? pc.green('✓') : pc.red('✗');
  const line = `${row.lab.padEnd(WIDTHS.lab)}  ${row.client.padEnd(WIDTHS.client)}  ${row.called.padEnd(WIDTHS.called)}  ${result}  ${`${(row.ms / 1000).toFixed(1)} s`.padStart(9)}`;
  return row.detail ? `${line}\n${' '.repeat(WIDTHS.lab + 2)}${pc.dim(row.detail.split('\n').join(`\n${' '.repeat(WIDTHS.lab + 2)}`))}` : line;
}

/** The count line CI adds to its own: `N passed, N failed`. */
export function summaryLine(rows: readonly Row[]): string {
  const passed = rows.filter((row) => row.ok).length;
  return `${passed} passed, ${rows.length - passed} failed`;
}
