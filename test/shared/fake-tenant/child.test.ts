// A child process (as a stdio MCP server would be) reaches the parent's fake tenant through the bridge:
// it calls the real Entra and Graph URLs, and the parent's tenant answers and logs every call.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBridge, type Bridge } from '#shared/fake-tenant/transports/bridge.ts';
import { APPS, REMOTE_SERVER_SECRET, TENANT_ID } from '#shared/fake-tenant/default-tenant.ts';
import { startFakeTenant, type RunningFakeTenant } from '#shared/fake-tenant/transports/msw.ts';
import { spawnJsonChild, type JsonChild } from './fixtures/json-child.ts';

const CHILD_REQUESTS = fileURLToPath(new URL('./fixtures/child-requests.ts', import.meta.url));

let fake: RunningFakeTenant;
let bridge: Bridge;
const children: JsonChild[] = [];
beforeAll(async () => {
  fake = await startFakeTenant();
  bridge = await startBridge(fake.tenant);
});
afterAll(async () => {
  for (const child of children) child.stop();
  await bridge?.close();
  await fake?.close();
});

function runChild(env: Record<string, string>): JsonChild {
  const child = spawnJsonChild([...bridge.childArgs(), CHILD_REQUESTS, TENANT_ID, APPS.remoteServer, REMOTE_SERVER_SECRET], env);
  children.push(child);
  return child;
}

describe('a child process started with the bridge', () => {
  let result: Record<string, string | number>;
  let stderr: string;
  beforeAll(async () => {
    fake.tenant.log.clear();
    const child = runChild(bridge.childEnv());
    result = await child.next();
    ({ stderr } = await child.exited);
  });

  test("reaches the parent's tenant at the real URLs, and the parent's log counts its calls", () => {
    expect(result.issuer, 'the issuer is built from the URL the child called').toBe(`https://login.microsoftonline.com/${TENANT_ID}/v2.0`);
    expect(result.tokenStatus, 'the token request (a POST with a form body) went through').toBe(200);
    const log = fake.tenant.log;
    expect(log.count((entry) => entry.endpoint === 'openid-configuration' && entry.host === 'login.microsoftonline.com')).toBe(1);
    expect(log.count((entry) => entry.endpoint === 'token' && entry.grantType === 'client_credentials')).toBe(1);
    expect(log.count((entry) => entry.host === 'graph.microsoft.com'), 'one Graph call by fetch, one by node:https').toBe(2);
    expect(result.graphStatus, 'Graph answered the app-only /me call itself').toBe(400);
    expect(result.viaNodeHttps, 'Graph answered the tokenless node:https call itself').toBe(401);
  });

  test('lets loopback through untouched (a hand run authority on localhost is not intercepted)', () => {
    expect(result.directIssuer).toBe(`${bridge.url}/${TENANT_ID}/v2.0`);
  });

  test('fails loudly for any other host: nothing leaves the machine', () => {
    expect(result.unmocked).toMatch(/^failed: Offline: GET https:\/\/example\.com\/ was not sent/);
    expect(stderr).toContain('Offline: GET https://example.com/');
  });
});

test('without FAKE_TENANT_BRIDGE, a child stops at once and says why, on stderr only', async () => {
  const child = runChild({});
  const { code, stderr } = await child.exited;
  expect(code).toBe(1);
  expect(stderr).toContain('FAKE_TENANT_BRIDGE must be the URL of the fake tenant');
  await expect(child.next()).rejects.toThrow('exited without printing');
});
