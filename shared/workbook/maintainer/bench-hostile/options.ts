// The hostile bench's command line (`npm run bench:hostile -- --help`).
import { parseArgs } from 'node:util';

export const FLOOD_IDS = ['03-register', '03-authorize', '04-register', '04-authorize', '05-mcp', '03-mcp'] as const;
export type FloodId = (typeof FLOOD_IDS)[number];

export interface HostileOptions {
  registrations: number;
  authorizations: number;
  badTokens: number;
  concurrency: number;
  /** Requests per source address (the SDK allows 20 registrations per address per hour). */
  perAddress: number;
  /** Each flood stops sending after this many seconds, whatever its count. */
  maxSeconds: number;
  requestTimeoutSeconds: number;
  /** The size of a /register body, and of a POST /authorize body (its state fills it). */
  bodyKb: number;
  /** Send --body-kb even when the server publishes smaller limits (the default sends the largest it accepts). */
  oversized: boolean;
  authorizeMethod: 'POST' | 'GET';
  floods: FloodId[];
  /** Exit with 1 when a target is missed. */
  strict: boolean;
  help: boolean;
}

export const USAGE = `npm run bench:hostile [-- options]   hostile clients against the reference servers of labs 03-05
                                       (WORKBOOK_TARGET=labs npm run bench:hostile: against your own)

  --count N             requests per flood (default 10000); or per kind:
  --register N          POST /register with maximum-size client metadata
  --authorize N         /authorize with a maximum-size state, from one registered client
  --tokens N            /mcp with bad bearer tokens (labs 05 and 03)
  --concurrency N       requests in flight (default 32)
  --per-address N       requests per loopback source address, 127.1.x.y (default 20)
  --max-seconds S       each flood stops sending after S seconds (default 15)
  --timeout S           one request's limit (default 10)
  --oversized           send --body-kb bodies even where lab 03 publishes REQUEST_LIMITS (default: the largest
                        requests the server accepts, so the floods fill its store rather than bounce off)
  --body-kb K           /register body and POST /authorize body size (default 95; the parsers' limit is 100)
  --authorize-method M  POST (default: the largest state) or GET (the state fits Node's 16 KB header limit)
  --only LIST           floods to run, by id or prefix: ${FLOOD_IDS.join(', ')} (e.g. --only 04,05-mcp)
  --strict              exit code 1 when a target is missed
`;

export class HostileUsageError extends Error {
  override name = 'HostileUsageError';
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new HostileUsageError(`--${name} takes a positive number, not "${value}".`);
  return number;
}

export function parseHostileOptions(argv: string[]): HostileOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        count: { type: 'string' },
        register: { type: 'string' },
        authorize: { type: 'string' },
        tokens: { type: 'string' },
        concurrency: { type: 'string' },
        'per-address': { type: 'string' },
        'max-seconds': { type: 'string' },
        timeout: { type: 'string' },
        'body-kb': { type: 'string' },
        'authorize-method': { type: 'string' },
        oversized: { type: 'boolean', default: false },
        only: { type: 'string' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new HostileUsageError((error as Error).message);
  }
  const count = Math.floor(positive('count', values.count, 10_000));
  const method = (values['authorize-method'] ?? 'POST').toUpperCase();
  if (method !== 'POST' && method !== 'GET') throw new HostileUsageError(`--authorize-method is POST or GET, not "${values['authorize-method']}".`);
  const wanted = values.only?.split(',').map((part) => part.trim()).filter(Boolean);
  const floods = wanted ? FLOOD_IDS.filter((id) => wanted.some((part) => id.startsWith(part) || id.endsWith(part))) : [...FLOOD_IDS];
  if (floods.length === 0) throw new HostileUsageError(`--only ${values.only} names no flood; the floods are ${FLOOD_IDS.join(', ')}.`);
  const bodyKb = positive('body-kb', values['body-kb'], 95);
  if (bodyKb >= 100) throw new HostileUsageError('--body-kb must stay under 100: the servers\' body parsers refuse larger bodies (413) before the code under test runs.');
  return {
    registrations: Math.floor(positive('register', values.register, count)),
    authorizations: Math.floor(positive('authorize', values.authorize, count)),
    badTokens: Math.floor(positive('tokens', values.tokens, count)),
    concurrency: Math.floor(positive('concurrency', values.concurrency, 32)),
    perAddress: Math.floor(positive('per-address', values['per-address'], 20)),
    maxSeconds: positive('max-seconds', values['max-seconds'], 15),
    requestTimeoutSeconds: positive('timeout', values.timeout, 10),
    bodyKb,
    oversized: values.oversized,
    authorizeMethod: method,
    floods,
    strict: values.strict,
    help: values.help,
  };
}
