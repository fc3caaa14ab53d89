// `useFakeTenant()` for a test file: the fake tenant runs for the whole file, and each test starts with
// no pending faults and an empty request log.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { currentMode } from '../settings.ts';
import { skipEveryCheckOfThisFile } from '../workbook/check.ts';
import type { FakeTenant } from './fake-tenant.ts';
import { startFakeTenant, type RunningFakeTenant, type StartFakeTenantOptions } from './transports/msw.ts';

/** Why a check that needs the fake tenant is not checked in live mode. */
export const NEEDS_FAKE_TENANT = 'needs the fake tenant: runs in mock mode only';

declare module 'vitest' {
  interface TaskMeta {
    /** Requests the fake tenant served during the test. */
    fakeTenantRequests?: number;
  }
}

/**
 * Call at the top of a test file; `tenant()` returns the running tenant inside tests and hooks.
 * In live mode nothing is mocked, so a file that needs the fake skips its tests and says why: put the
 * checks that can run against a real tenant in files of their own.
 */
export function useFakeTenant(options: StartFakeTenantOptions = {}): { tenant(): FakeTenant } {
  if (currentMode() === 'live') {
    // Checks are registered as skipped (so the file's beforeAll hooks never run); other tests skip here.
    skipEveryCheckOfThisFile(NEEDS_FAKE_TENANT);
    beforeEach((context) => context.skip(NEEDS_FAKE_TENANT));
    return {
      tenant() {
        throw new Error('useFakeTenant(): there is no fake tenant in live mode.');
      },
    };
  }
  let running: RunningFakeTenant | undefined;
  beforeAll(async () => {
    running = await startFakeTenant(options);
  });
  afterEach((context) => {
    if (!running) return;
    // The reporter reads this: how much traffic each check costs the fake (`npm run bench`).
    context.task.meta.fakeTenantRequests = running.tenant.log.entries().length;
    running.tenant.faults.reset();
    running.tenant.log.clear();
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    tenant() {
      if (!running) throw new Error('useFakeTenant(): the tenant starts in beforeAll; use tenant() inside a test or hook.');
      return running.tenant;
    },
  };
}
