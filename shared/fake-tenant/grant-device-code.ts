// grant_type=device_code: the client polls with the device_code while the user signs in elsewhere.
// RFC 8628's answers, with Entra's codes: authorization_pending until the user acts, slow_down when
// polled faster than the interval, authorization_declined, expired_token, then the tokens (once).
import { performance } from 'node:perf_hooks';
import { EntraError, missingParameter } from './entra-errors.ts';
import type { TokenRequest } from './entra-token.ts';
import { findUser } from './directory.ts';
import { parseScopes } from './scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function redeemDeviceCode({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('device_code');
  if (!value) throw missingParameter('device_code');
  const device = authority.grants.deviceCodes.get(value);
  if (!device || device.clientId !== client.appId) {
    throw new EntraError(9002313, 'invalid_grant', 'Invalid request. Request is malformed or invalid.');
  }
  if (authority.now() > device.expiresAt) {
    authority.grants.deviceCodes.delete(value);
    throw new EntraError(70020, 'expired_token', 'The provided value for the input parameter \'device_code\' is not valid: the device code has expired.');
  }
  if (device.status === 'declined') {
    authority.grants.deviceCodes.delete(value);
    throw new EntraError(65004, 'authorization_declined', 'User declined to consent to access the app.');
  }
  if (device.status === 'pending') {
    // Polling speed is about real time, not the tenant's clock (a check may have frozen Date).
    const polledAt = performance.now();
    const tooSoon = device.lastPollAt !== undefined && polledAt - device.lastPollAt < (authority.settings.deviceCodeIntervalSeconds * 1000) / 2;
    device.lastPollAt = polledAt;
    if (tooSoon) throw new EntraError(70016, 'slow_down', 'The client is polling faster than the interval the device code response asked for.');
    throw new EntraError(70016, 'authorization_pending', 'The provided request has not yet been authorized by the user. The user must input their code.');
  }
  authority.grants.deviceCodes.delete(value);
  const user = findUser(authority.model, device.userId ?? '');
  if (!user) throw new EntraError(50034, 'invalid_grant', 'The user account does not exist in this directory.');
  const scopes = parseScopes(authority.model, device.scope);
  return userTokenResponse(authority, call, { client, user, scopes, params });
}
