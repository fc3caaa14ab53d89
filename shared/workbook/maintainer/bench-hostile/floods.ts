// The hostile bench's floods: what each one sends to which server, and how its answers count.
// Endpoints come from the server itself (its authorization-server metadata, its MCP URL), so the bench
// keeps working when a server moves them; a 4xx is a refusal to count, never a crash.
import { send, verdictOf, statusLabel, type Answer, type FloodRequest, type Outcome } from './flood.ts';
import type { FloodId, HostileOptions } from './options.ts';
import { authorizeFields, CLIENT_REDIRECT, GET_STATE_BYTES, maxClientMetadata, plainClientMetadata, tokenAt, type AcceptedLimits, type HostileTokens } from './payloads.ts';
import { startLab03, startLab04, startLab05, type BenchServer } from './servers.ts';
import { importTarget } from '../../target.ts';

/** Setup requests come from this address; flood addresses start at 127.1.0.1. */
const SETUP_ADDRESS = '127.0.0.2';

export interface FloodPlan {
  id: FloodId;
  title: string;
  count: number;
  /** Lab 04: the store file is measured and has a target. */
  measuresStore: boolean;
  /** Every answer must be a 401. */
  expects401: boolean;
  start(): Promise<BenchServer>;
  /** Setup against the running server (before the heap is measured); gives the flood's requests, and notes for the report. */
  prepare(server: BenchServer): Promise<{ request(index: number): FloodRequest; classify?(answer: Answer): Outcome; notes: string[] }>;
}

const setupRequest = (server: BenchServer, request: FloodRequest) => send(server.origin, request, { agent: false, localAddress: SETUP_ADDRESS, timeoutMs: 10_000 });

/** The paths of /register and /authorize, from the server's RFC 8414 metadata (or the SDK's defaults). */
async function oauthEndpoints(server: BenchServer): Promise<{ register: string; authorize: string }> {
  const answer = await setupRequest(server, { method: 'GET', path: '/.well-known/oauth-authorization-server' }).catch(() => undefined);
  let metadata: { registration_endpoint?: string; authorization_endpoint?: string } = {};
  try {
    if (answer?.status === 200) metadata = JSON.parse(answer.head) as typeof metadata;
  } catch {
    // longer than the part we keep, or not JSON: the defaults below
  }
  const pathOf = (url: string | undefined, fallback: string) => (url ? new URL(url, server.origin).pathname : fallback);
  return { register: pathOf(metadata.registration_endpoint, '/register'), authorize: pathOf(metadata.authorization_endpoint, '/authorize') };
}

const json = { 'content-type': 'application/json' };

/** Lab 03's REQUEST_LIMITS, if the target's lab 03 has them: the floods then send the largest requests it accepts. */
async function acceptedLimits(options: HostileOptions): Promise<AcceptedLimits | undefined> {
  if (options.oversized) return undefined;
  const module = await importTarget<{ REQUEST_LIMITS?: AcceptedLimits }>({ slug: '03-confidential-client' }, 'src/auth-provider.ts');
  return module.REQUEST_LIMITS;
}

async function registerFlood(server: BenchServer, options: HostileOptions) {
  const { register } = await oauthEndpoints(server);
  const limits = await acceptedLimits(options);
  const body = maxClientMetadata(Math.floor(options.bodyKb * 1024), limits);
  const shape = limits ? `the largest the server accepts: ${limits.redirectUris} redirect URIs` : '8 long redirect URIs';
  return {
    request: (): FloodRequest => ({ method: 'POST', path: register, headers: json, body }),
    notes: [`POST ${register}: ${(body.length / 1024).toFixed(1)} KB of client metadata (${shape}, a long client_name)`],
  };
}

async function authorizeFlood(server: BenchServer, options: HostileOptions) {
  const { register, authorize } = await oauthEndpoints(server);
  const notes: string[] = [];
  const registered = await setupRequest(server, { method: 'POST', path: register, headers: json, body: plainClientMetadata() });
  let clientId = 'unregistered-client';
  if (registered.status === 201) clientId = (JSON.parse(registered.head) as { client_id: string }).client_id;
  else notes.push(`the bench's own client was refused (${statusLabel(registered)}): every request below names an unknown client`);

  const post = options.authorizeMethod === 'POST';
  const limits = await acceptedLimits(options);
  const fields = authorizeFields(clientId, server.mcpUrl.href, post ? Math.floor(options.bodyKb * 1024) : GET_STATE_BYTES, limits);
  if (limits) notes.push(`the state is the longest the server accepts (${limits.state} characters; --oversized sends ${options.bodyKb} KB instead)`);
  const stateBytes = fields.get('state')!.length;
  const body = Buffer.from(fields.toString());
  notes.unshift(
    post
      ? `POST ${authorize} (form): a ${(stateBytes / 1024).toFixed(1)} KB state (a GET cannot carry it: Node answers a request line over 16 KB with 431)`
      : `GET ${authorize}: a ${(stateBytes / 1024).toFixed(1)} KB state (what fits Node's 16 KB header limit)`,
  );
  const request = (): FloodRequest =>
    post ? { method: 'POST', path: authorize, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body } : { method: 'GET', path: `${authorize}?${fields}` };
  return { request, classify: (answer: Answer) => authorizeOutcome(answer, server.origin), notes };
}

/** A redirect to Entra accepted the request; a redirect back to the client with `error=` refused it. */
function authorizeOutcome(answer: Answer, origin: URL): Outcome {
  const location = answer.headers.location;
  if (answer.status >= 300 && answer.status < 400 && location) {
    const target = new URL(location, origin);
    if (`${target.origin}${target.pathname}` === CLIENT_REDIRECT) {
      const error = target.searchParams.get('error');
      return error ? { verdict: 'refused', label: `${answer.status} to the client, error=${error}` } : { verdict: 'accepted', label: `${answer.status} to the client` };
    }
    return { verdict: 'accepted', label: `${answer.status} to ${target.host}` };
  }
  return { verdict: verdictOf(answer.status), label: statusLabel(answer) };
}

const INITIALIZE = Buffer.from(
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile bench', version: '1' } } }),
);

async function badTokenFlood(server: BenchServer, tokens: HostileTokens[]) {
  const path = server.mcpUrl.pathname + server.mcpUrl.search;
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  return {
    request: (index: number): FloodRequest => {
      const { kind, token } = tokenAt(tokens, index);
      return { method: 'POST', path, headers: { ...headers, authorization: `Bearer ${token}` }, body: INITIALIZE, kind };
    },
    notes: [`POST ${path} (initialize) with ${tokens.reduce((sum, group) => sum + group.tokens.length, 0)} bad tokens of ${tokens.length} kinds, in turn`],
  };
}

export function floodPlans(options: HostileOptions, tokens: HostileTokens[]): FloodPlan[] {
  const plans: FloodPlan[] = [
    { id: '03-register', title: 'lab 03, in-memory store: client registration', count: options.registrations, measuresStore: false, expects401: false, start: startLab03, prepare: (server) => registerFlood(server, options) },
    { id: '03-authorize', title: 'lab 03, in-memory store: authorization requests', count: options.authorizations, measuresStore: false, expects401: false, start: startLab03, prepare: (server) => authorizeFlood(server, options) },
    { id: '04-register', title: 'lab 04, encrypted file store: client registration', count: options.registrations, measuresStore: true, expects401: false, start: startLab04, prepare: (server) => registerFlood(server, options) },
    { id: '04-authorize', title: 'lab 04, encrypted file store: authorization requests', count: options.authorizations, measuresStore: true, expects401: false, start: startLab04, prepare: (server) => authorizeFlood(server, options) },
    { id: '05-mcp', title: 'lab 05, resource server: bad bearer tokens', count: options.badTokens, measuresStore: false, expects401: true, start: startLab05, prepare: (server) => badTokenFlood(server, tokens) },
    { id: '03-mcp', title: 'lab 03: bad bearer tokens', count: options.badTokens, measuresStore: false, expects401: true, start: startLab03, prepare: (server) => badTokenFlood(server, tokens) },
  ];
  return plans.filter((plan) => options.floods.includes(plan.id));
}
