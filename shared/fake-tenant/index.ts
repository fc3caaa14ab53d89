// The fake tenant's public API.
export { FakeTenant, type FakeTenantOptions } from './fake-tenant.ts';
export type { PendingDeviceCode, SignInOptions } from './person.ts';
export { startFakeTenant, type RunningFakeTenant, type StartFakeTenantOptions } from './transports/msw.ts';
export { startBridge, registerArgs, type Bridge } from './transports/bridge.ts';
export { startStandaloneTenant, handRunEnv, type StandaloneTenant } from './transports/standalone.ts';
export { SigningKeys } from './keys.ts';
export { Faults } from './faults.ts';
export { RequestLog, type RequestLogEntry } from './request-log.ts';
export type { GraphContext } from './graph/context.ts';
export { createGraphHandler } from './graph/routes.ts';
export { EntraError } from './entra/errors.ts';
export { ACCESS_TOKEN_LIFETIME, clientInfo, issuerFor, pairwiseSub, v1IssuerFor } from './tokens.ts';
export * from './model.ts';
export * from './default-tenant.ts';
