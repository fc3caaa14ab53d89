// The part of vitest's diff a learner needs on a failure's screen: which fields differ, expected against
// received, under the keys that hold them. Vitest's first line of a failed toMatchObject only counts
// fields (`expected { …(5) } to match object { …(4) }`), so the wrong one (an `expiresAt` in
// milliseconds) stays invisible without this.
//
// Shown only for structured values (objects, arrays, multi-line text), whose message hides them: a
// primitive is already in the message in full. Never the "Expected: ... Received: ..." form vitest
// prints for toContain, toThrow and such: that would print the whole received text (a log that holds
// a secret) where the message shows only its start. Lines are cut at MAX_WIDTH, and at most
// MAX_CHANGES changed lines are shown.
import { stripVTControlCharacters } from 'node:util';

const MAX_CHANGES = 12;
const MAX_WIDTH = 100;

/** The fields vitest adds to a serialized assertion error (strings once serialized). */
export interface DiffSource {
  diff?: unknown;
  expected?: unknown;
  actual?: unknown;
  [field: string]: unknown;
}

/** The changed lines of `error.diff` with the keys above them, or nothing when there is no such diff. */
export function compactDiff(error: DiffSource): string[] {
  if (typeof error.diff !== 'string' || !isStructured(error.expected) && !isStructured(error.actual)) return [];
  const lines = stripVTControlCharacters(error.diff).split('\n');
  if (lines[0] !== '- Expected' || lines[1] !== '+ Received') return [];
  const body = lines.slice(2).filter((line) => line.trim() !== '' && !line.startsWith('@@'));
  const shown = changedWithParents(body);
  if (shown.length === 0) return [];
  const changes = shown.filter(isChange).length;
  const kept = shown.slice(0, indexAfterChanges(shown, MAX_CHANGES));
  const more = changes - kept.filter(isChange).length;
  return [
    'expected (-) and received (+), the fields that differ:',
    ...kept.map(cut),
    ...(more > 0 ? [`… (${more} more changed lines)`] : []),
  ];
}

function isStructured(value: unknown): boolean {
  return typeof value === 'string' && value.includes('\n');
}

function isChange(line: string): boolean {
  return line.startsWith('-') || line.startsWith('+');
}

/** Each changed line, preceded by the unchanged lines that open the objects and arrays around it. */
function changedWithParents(body: string[]): string[] {
  const shown: string[] = [];
  const open: { line: string; indent: number; shown: boolean }[] = [];
  for (const line of body) {
    if (isChange(line)) {
      for (const parent of open) if (!parent.shown) { shown.push(parent.line); parent.shown = true; }
      shown.push(line);
      continue;
    }
    const indent = line.length - line.slice(1).trimStart().length - 1;
    while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
    if (/[{[(]$/.test(line.trimEnd())) open.push({ line, indent, shown: false });
  }
  return shown;
}

function indexAfterChanges(lines: string[], limit: number): number {
  let changes = 0;
  for (let index = 0; index < lines.length; index++) if (isChange(lines[index]!) && ++changes === limit) return index + 1;
  return lines.length;
}

function cut(line: string): string {
  return line.length > MAX_WIDTH ? `${line.slice(0, MAX_WIDTH - 1)}…` : line;
}
