// The hostile bench's load generator: a bounded flood of HTTP requests on loopback, spread over many
// source addresses (Linux routes all of 127.0.0.0/8 to lo), so a per-IP rate limiter in front of the
// server does not hide what the server itself keeps. A few requests in flight, a count, a deadline.
import http from 'node:http';
import { getHeapStatistics } from 'node:v8';

// Taken when this module loads, before msw patches node:http (startFakeTenant): the bench's own
// requests go straight to the socket, so msw's per-request bookkeeping is not part of the figures.
const rawRequest = http.request;

export interface FloodRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/register`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** A label to count outcomes by (the kind of bad token, say). */
  kind?: string;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body's first 4 KB, as text. */
  head: string;
}

/** How an answer counts: accepted, refused (4xx other than 429), rate-limited (429), a server error (5xx). */
export type Verdict = 'accepted' | 'refused' | 'limited' | 'server_error' | 'failed';

export interface Outcome {
  verdict: Verdict;
  /** e.g. `201`, `400 invalid_client_metadata`, `302 to Entra`. */
  label: string;
}

export interface FloodSpec {
  /** `http://127.0.0.1:<port>`. */
  origin: URL;
  count: number;
  concurrency: number;
  /** Requests per source address before the next address. */
  perAddress: number;
  maxSeconds: number;
  requestTimeoutMs: number;
  request(index: number): FloodRequest;
  classify?(answer: Answer): Outcome;
  signal?: AbortSignal;
  /** Stop sending when the heap holds this many bytes (the process would otherwise die, not report). */
  heapCeilingBytes?: number;
}

export interface FloodResult {
  sent: number;
  answered: number;
  verdicts: Record<Verdict, number>;
  /** Outcome label → count. */
  outcomes: Map<string, number>;
  /** Request kind → outcome label → count. */
  byKind: Map<string, Map<string, number>>;
  /** Milliseconds, one per answered request (sorted). */
  latencies: Float64Array;
  seconds: number;
  addresses: number;
  /** Why the flood stopped before its count, if it did. */
  stoppedBy?: 'time' | 'heap' | 'interrupt';
}

/** The `n`th source address of a flood: 127.1.0.1, 127.1.0.2, ... (never 127.0.0.x, which setup uses). */
export function floodAddress(n: number): string {
  const value = (1 << 16) + n + 1;
  return `127.${(value >> 16) & 255}.${(value >> 8) & 255}.${value & 255}`;
}

/** The verdict a status alone gives. */
export function verdictOf(status: number): Verdict {
  if (status === 429) return 'limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'refused';
  return 'accepted';
}

/** The status, and for an error the OAuth / JSON-RPC error code in its body, if it has one. */
export function statusLabel(answer: Answer): string {
  if (answer.status < 400) return String(answer.status);
  try {
    const body = JSON.parse(answer.head) as { error?: unknown };
    if (typeof body.error === 'string') return `${answer.status} ${body.error}`;
  } catch {
    // not JSON (or longer than the head we kept): the status says enough
  }
  return String(answer.status);
}

const defaultClassify = (answer: Answer): Outcome => ({ verdict: verdictOf(answer.status), label: statusLabel(answer) });

/** One request from `localAddress`, its body read to the end (only the first 4 KB kept). */
export function send(origin: URL, request: FloodRequest, options: { agent?: http.Agent | false; localAddress?: string; timeoutMs: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body) headers['content-length'] = request.body.length;
    const req = rawRequest(
      { host: origin.hostname, port: origin.port, method: request.method, path: request.path, headers, agent: options.agent, localAddress: options.localAddress },
      (res) => {
        const kept: Buffer[] = [];
        let keptBytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (keptBytes < 4096) {
            kept.push(chunk);
            keptBytes += chunk.length;
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, head: Buffer.concat(kept).subarray(0, 4096).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(request.body);
  });
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export async function flood(spec: FloodSpec): Promise<FloodResult> {
  const classify = spec.classify ?? defaultClassify;
  const verdicts: Record<Verdict, number> = { accepted: 0, refused: 0, limited: 0, server_error: 0, failed: 0 };
  const outcomes = new Map<string, number>();
  const byKind = new Map<string, Map<string, number>>();
  const latencies = new Float64Array(spec.count);
  const started = performance.now();
  const deadline = started + spec.maxSeconds * 1000;
  let next = 0;
  let answered = 0;
  let addresses = 0;
  let stoppedBy: FloodResult['stoppedBy'];

  const mayContinue = (): boolean => {
    if (stoppedBy) return false;
    if (spec.signal?.aborted) stoppedBy = 'interrupt';
    else if (performance.now() > deadline) stoppedBy = 'time';
    else if (spec.heapCeilingBytes && next % 64 === 0 && getHeapStatistics().used_heap_size > spec.heapCeilingBytes) stoppedBy = 'heap';
    return !stoppedBy;
  };

  // Each worker keeps one keep-alive connection from its current address, and moves to a fresh
  // address after `perAddress` requests: no address ever sends more than that.
  const worker = async () => {
    let agent: http.Agent | undefined;
    let localAddress = '';
    let usedHere = spec.perAddress;
    try {
      while (next < spec.count && mayContinue()) {
        const index = next++;
        if (usedHere >= spec.perAddress) {
          agent?.destroy();
          agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
          localAddress = floodAddress(addresses++);
          usedHere = 0;
        }
        usedHere += 1;
        const request = spec.request(index);
        const sentAt = performance.now();
        let outcome: Outcome;
        try {
          const answer = await send(spec.origin, request, { agent, localAddress, timeoutMs: spec.requestTimeoutMs });
          latencies[answered++] = performance.now() - sentAt;
          outcome = classify(answer);
        } catch (error) {
          outcome = { verdict: 'failed', label: `no answer: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
        }
        verdicts[outcome.verdict] += 1;
        bump(outcomes, outcome.label);
        if (request.kind) {
          if (!byKind.has(request.kind)) byKind.set(request.kind, new Map());
          bump(byKind.get(request.kind)!, outcome.label);
        }
      }
    } finally {
      agent?.destroy();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, spec.concurrency) }, worker));

  return {
    sent: next,
    answered,
    verdicts,
    outcomes,
    byKind,
    latencies: latencies.slice(0, answered).sort(),
    seconds: (performance.now() - started) / 1000,
    addresses,
    stoppedBy,
  };
}

/** The value below which `fraction` of the sorted `values` lie (nearest rank); NaN when empty. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
