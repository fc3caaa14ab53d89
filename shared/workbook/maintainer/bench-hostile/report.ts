// The hostile bench's figures, as printed: one block per flood, then the targets in a table.
import pc from 'picocolors';
import { percentile, type FloodResult } from './flood.ts';
import type { FloodPlan } from './floods.ts';

export const TARGETS = {
  /** Heap used after GC, after the flood minus before it, with the server still running. */
  heapGrowthMb: 20,
  /** Lab 04's store file after the flood. */
  storeFileMb: 1,
};

export interface FloodFigures {
  plan: FloodPlan;
  notes: string[];
  result: FloodResult;
  perAddress: number;
  concurrency: number;
  heapBefore: number;
  heapAfter: number;
  fileBefore: number;
  fileAfter: number;
  /** Requests the fake tenant served during the flood (discovery, JWKS). */
  tenantRequests: number;
  logged: { errors: number; lines: number };
}

const MB = 1024 * 1024;
export const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : megabytes(bytes));
const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`);
const mark = (check: Pick<TargetCheck, 'pass' | 'partial'>) => (!check.pass ? pc.red('FAIL') : check.partial ? pc.yellow('PASS*') : pc.green('PASS'));

interface TargetCheck {
  name: string;
  figure: string;
  target: string;
  pass: boolean;
  /** A pass that proves little: the flood stopped before its count (the projection says more). */
  partial?: boolean;
}

/** The targets a flood is held to, with its figures. */
export function targetChecks(figures: FloodFigures): TargetCheck[] {
  const growth = figures.heapAfter - figures.heapBefore;
  const partial = figures.result.sent < figures.plan.count;
  const checks: TargetCheck[] = [
    { name: 'heap growth after GC', figure: `${growth >= 0 ? '+' : ''}${megabytes(growth)}`, target: `≤ ${TARGETS.heapGrowthMb} MB`, pass: growth <= TARGETS.heapGrowthMb * MB, partial },
  ];
  if (figures.plan.measuresStore) {
    checks.push({ name: 'store file', figure: size(figures.fileAfter), target: `≤ ${TARGETS.storeFileMb} MB`, pass: figures.fileAfter <= TARGETS.storeFileMb * MB, partial });
  }
  const serverErrors = figures.result.verdicts.server_error;
  checks.push({ name: '5xx answers', figure: String(serverErrors), target: '0', pass: serverErrors === 0 });
  if (figures.plan.expects401) {
    const not401 = figures.result.sent - answersWithStatus(figures.result, 401);
    checks.push({ name: 'answers other than 401', figure: String(not401), target: '0', pass: not401 === 0 });
  }
  return checks;
}

/** Answers with this status, whatever error code their body named. */
function answersWithStatus(result: FloodResult, status: number): number {
  let total = 0;
  for (const [label, count] of result.outcomes) if (label === String(status) || label.startsWith(`${status} `)) total += count;
  return total;
}

const byCount = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label} ×${count}`).join(', ');

export function formatFlood(figures: FloodFigures): string[] {
  const { plan, result } = figures;
  const rate = result.seconds > 0 ? result.sent / result.seconds : 0;
  const stopped = result.stoppedBy
    ? pc.yellow(` stopped early (${{ time: 'time limit', heap: 'heap ceiling', interrupt: 'interrupted' }[result.stoppedBy]})`)
    : '';
  const growth = figures.heapAfter - figures.heapBefore;
  const lines = [
    '',
    pc.bold(`${plan.id}  ${plan.title}`),
    ...figures.notes.map((note) => `  ${pc.dim(note)}`),
    `  sent       ${result.sent} of ${plan.count}${stopped}, from ${result.addresses} source addresses (≤ ${figures.perAddress} each), ${figures.concurrency} in flight, ${result.seconds.toFixed(1)} s (${rate.toFixed(0)}/s)`,
    `  answers    ${byCount(result.outcomes) || 'none'}`,
    `  counts     accepted ${result.verdicts.accepted} · refused ${result.verdicts.refused} · 429 ${result.verdicts.limited} · 5xx ${result.verdicts.server_error} · no answer ${result.verdicts.failed}`,
    `  latency    median ${ms(percentile(result.latencies, 0.5))} · p95 ${ms(percentile(result.latencies, 0.95))} · max ${ms(percentile(result.latencies, 1))}`,
    `  heap used  ${megabytes(figures.heapBefore)} → ${megabytes(figures.heapAfter)} after GC` +
      (result.sent > 0 ? pc.dim(`  (${(growth / 1024 / result.sent).toFixed(1)} KB per request sent)`) : ''),
  ];
  if (plan.measuresStore) lines.push(`  store file ${size(figures.fileBefore)} → ${size(figures.fileAfter)}`);
  if (result.sent < plan.count && result.sent > 0) {
    const perRequest = growth / result.sent;
    const fileGrowth = plan.measuresStore ? `, the store file ≈ ${size(figures.fileBefore + ((figures.fileAfter - figures.fileBefore) / result.sent) * plan.count)}` : '';
    lines.push(pc.yellow(`  projection at this rate, all ${plan.count} requests would add ≈ ${megabytes(perRequest * plan.count)} of heap${fileGrowth} (a straight line: it overstates fixed costs)`));
  }
  lines.push(`  server     ${figures.logged.errors} error events, ${figures.logged.lines} log lines; the fake tenant served ${figures.tenantRequests} requests`);
  if (result.byKind.size > 0) {
    const odd = [...result.byKind].filter(([, outcomes]) => [...outcomes.keys()].some((label) => label !== '401' && !label.startsWith('401 ')));
    if (odd.length === 0) lines.push(`  by kind    every kind (${result.byKind.size}) answered 401 only`);
    else for (const [kind, outcomes] of odd) lines.push(`  by kind    ${pc.yellow(kind)}: ${byCount(outcomes)}`);
  }
  for (const check of targetChecks(figures)) lines.push(`  target     ${check.name} ${check.figure}, target ${check.target}  ${mark(check)}`);
  return lines;
}

export function formatSummary(all: FloodFigures[]): string[] {
  const rows = all.map((figures) => {
    const checks = targetChecks(figures);
    const cell = (name: string) => {
      const check = checks.find((candidate) => candidate.name === name);
      return check ? `${check.figure} ${mark(check)}` : '-';
    };
    return [figures.plan.id, `${figures.result.sent}`, cell('heap growth after GC'), cell('store file'), cell('5xx answers'), cell('answers other than 401')];
  });
  const header = ['flood', 'sent', `heap growth (≤ ${TARGETS.heapGrowthMb} MB)`, `store file (≤ ${TARGETS.storeFileMb} MB)`, '5xx', 'not 401'];
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths = header.map((title, column) => Math.max(visible(title), ...rows.map((row) => visible(row[column]!))));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell + ' '.repeat(widths[column]! - visible(cell))).join('  ')}`.trimEnd();
  const failed = all.filter((figures) => targetChecks(figures).some((check) => !check.pass)).length;
  const partial = all.some((figures) => targetChecks(figures).some((check) => check.pass && check.partial));
  return [
    '',
    pc.bold('Targets'),
    line(header),
    ...rows.map(line),
    ...(partial ? [pc.dim('  PASS* the flood stopped before its count (time limit, heap ceiling or Ctrl+C): a pass on part of the load; see its projection')] : []),
    '',
    failed === 0 ? pc.green('Every flood met its targets.') : pc.red(`${failed} of ${all.length} floods missed a target.`),
  ];
}

export const missedTargets = (all: FloodFigures[]) => all.some((figures) => targetChecks(figures).some((check) => !check.pass));
