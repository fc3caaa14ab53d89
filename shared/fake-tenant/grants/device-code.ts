// grant_type=device_code: the client polls with the device_code while the user signs in elsewhere.
// RFC 8628's answers, with Entra's codes: authorization_pending until the user acts, slow_down when
// polled faster than the interval, authorization_declined, expired_token, then the tokens (once).
import { aadsts } from '../entra/aadsts.ts';
import type { TokenRequest } from './token-request.ts';
import { findUser } from '../directory.ts';
import { parseScopes } from '../entra/scopes.ts';
import { userTokenResponse } from './token-response.ts';

export async function redeemDeviceCode({ authority, call, client, params }: TokenRequest): Promise<Response> {
  const value = params.get('device_code');
  if (!value) throw aadsts('missingParameter', 'device_code');
  const device = authority.grants.deviceCodes.get(value);
  if (!device || device.clientId !== client.appId) throw aadsts('malformedGrant');
  if (authority.now() > device.expiresAt) {
    authority.grants.deviceCodes.delete(value);
    throw aadsts('deviceCodeExpired');
  }
  if (device.status === 'declined') {
    authority.grants.deviceCodes.delete(value);
    throw aadsts('deviceCodeDeclined');
  }
  if (device.status === 'pending') {
    // Polling speed is about the process's monotonic clock, not the tenant's (a check may have frozen Date);
    // read from globalThis, so a check that fakes `performance` as well moves it with its timers.
    const polledAt = globalThis.performance.now();
    const tooSoon = device.lastPollAt !== undefined && polledAt - device.lastPollAt < (authority.settings.deviceCodeIntervalSeconds * 1000) / 2;
    device.lastPollAt = polledAt;
    throw aadsts(tooSoon ? 'slowDown' : 'authorizationPending');
  }
  authority.grants.deviceCodes.delete(value);
  const user = findUser(authority.model, device.userId ?? '');
  if (!user) throw aadsts('unknownUser');
  const scopes = parseScopes(authority.model, device.scope);
  return userTokenResponse(authority, call, { client, user, scopes, params });
}
