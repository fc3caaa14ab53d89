// `npm run bench:hostile`: hostile clients against the REFERENCE servers of labs 03, 04 and 05, in this
// process, on loopback, with the fake tenant. Bounded floods (a count, a deadline, a heap ceiling) of
// maximum-size registrations and authorization requests and of bad bearer tokens, spread over many
// loopback source addresses so the SDK's per-IP rate limits do not hide what the servers keep. Prints
// heap growth after GC, latency, answers by status, lab 04's store file size, and the targets.
// Maintainer tooling: it grades nothing and learners never need it.
import { availableParallelism } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pc from 'picocolors';
import { startFakeTenant, type RunningFakeTenant } from '#shared/fake-tenant/transports/msw.ts';
import { flood, floodAddress } from './bench-hostile/flood.ts';
import { floodPlans, type FloodPlan } from './bench-hostile/floods.ts';
import { HostileUsageError, parseHostileOptions, USAGE, type HostileOptions } from './bench-hostile/options.ts';
import { hostileTokens } from './bench-hostile/payloads.ts';
import { formatFlood, formatSummary, megabytes, missedTargets, type FloodFigures } from './bench-hostile/report.ts';
import { fileSize } from './bench-hostile/servers.ts';

/** Node's gc(): `--expose-gc` gives it; otherwise V8 is asked for it at run time. */
function garbageCollector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap used once closed sockets and finished requests are collectable: two full collections. */
async function heapAfterGc(gc: () => void): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
}

async function runFlood(plan: FloodPlan, options: HostileOptions, context: { gc: () => void; tenant: RunningFakeTenant; signal: AbortSignal }): Promise<FloodFigures> {
  const server = await plan.start();
  try {
    const { request, classify, notes } = await plan.prepare(server);
    await server.settle();
    const fileBefore = await fileSize(server.storeFile);
    const tenantBefore = context.tenant.tenant.log.entries().length;
    const heapBefore = await heapAfterGc(context.gc);
    const result = await flood({
      origin: server.origin,
      count: plan.count,
      concurrency: options.concurrency,
      perAddress: options.perAddress,
      maxSeconds: options.maxSeconds,
      requestTimeoutMs: options.requestTimeoutSeconds * 1000,
      request,
      classify,
      signal: context.signal,
      heapCeilingBytes: getHeapStatistics().heap_size_limit * 0.7,
    });
    await server.settle(); // lab 04: the writes the flood queued are on disk before the file is measured
    // Measured with the server still running: what it holds on to after the flood is what counts.
    const heapAfter = await heapAfterGc(context.gc);
    const fileAfter = await fileSize(server.storeFile);
    return {
      plan,
      notes,
      result,
      perAddress: options.perAddress,
      concurrency: options.concurrency,
      heapBefore,
      heapAfter,
      fileBefore,
      fileAfter,
      tenantRequests: context.tenant.tenant.log.entries().length - tenantBefore,
      logged: { ...server.logged },
    };
  } finally {
    await server.close();
  }
}

/** Runs the bench; the exit code (1 with --strict when a target is missed, 2 for a usage mistake). */
export async function runHostileBench(argv: string[]): Promise<number> {
  let options: HostileOptions;
  try {
    options = parseHostileOptions(argv);
  } catch (error) {
    if (!(error instanceof HostileUsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const gc = garbageCollector();
  const interrupt = new AbortController();
  const onSigint = () => {
    console.error(pc.yellow('\nInterrupted: stopping the current flood and closing everything (Ctrl+C again to quit at once).'));
    interrupt.abort();
    process.off('SIGINT', onSigint);
  };
  process.on('SIGINT', onSigint);
  const tenant = await startFakeTenant();
  const all: FloodFigures[] = [];
  try {
    const tokens = await hostileTokens(tenant.tenant);
    const started = performance.now();
    const target = process.env.WORKBOOK_TARGET?.trim() || 'labs';
    const whose = target === 'solutions' ? 'the reference servers' : `the servers of ${target}/`;
    console.log(pc.bold(`Hostile clients against ${whose} (labs 03, 04, 05), in-process on 127.0.0.1, fake tenant`));
    console.log(
      pc.dim(
        `  Node ${process.version}, ${availableParallelism()} cores, heap limit ${megabytes(getHeapStatistics().heap_size_limit)}; ` +
          `${options.concurrency} in flight, ≤ ${options.perAddress} requests per source address (${floodAddress(0)} upward), ` +
          `each flood ≤ ${options.maxSeconds} s and stopped at 70% of the heap limit; heap measured after two gc() with the server still running`,
      ),
    );
    for (const plan of floodPlans(options, tokens)) {
      if (interrupt.signal.aborted) break;
      const figures = await runFlood(plan, options, { gc, tenant, signal: interrupt.signal });
      all.push(figures);
      console.log(formatFlood(figures).join('\n'));
    }
    console.log(formatSummary(all).join('\n'));
    console.log(pc.dim(`  ${((performance.now() - started) / 1000).toFixed(1)} s in all`));
  } finally {
    process.off('SIGINT', onSigint);
    await tenant.close();
  }
  return options.strict && missedTargets(all) ? 1 : 0;
}
