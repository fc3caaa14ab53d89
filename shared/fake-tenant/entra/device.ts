// The device code flow's two halves. `POST /{tenant}/oauth2/v2.0/devicecode` gives a CLI (or a stdio
// MCP server) a device_code to poll with and a user_code for the person; `/devicelogin` is where that
// person enters the code and signs in (microsoft.com/devicelogin in the real world).
import type { Authority, Call } from './context.ts';
import { aadsts, signInPageError } from './aadsts.ts';
import { consentedScopes, findApp, findUser, grantConsent } from '../directory.ts';
import { consentPage, deviceCodeEntryPage, htmlResponse, messagePage, showing, signInPage } from './pages.ts';
import { DEVICE_CODE_LIFETIME_S, type DeviceAuthorization } from '../grants/store.ts';
import type { FakeUser } from '../model.ts';
import { parseScopes } from './scopes.ts';

/** `POST /{tenant}/oauth2/v2.0/devicecode` */
export async function deviceCode(authority: Authority, call: Call): Promise<Response> {
  const params = new URLSearchParams(await call.request.text());
  const clientId = params.get('client_id');
  if (!clientId) throw aadsts('missingParameter', 'client_id');
  if (!findApp(authority.model, clientId)) throw aadsts('unknownClient', clientId, call.tenant);
  const scope = params.get('scope');
  parseScopes(authority.model, scope); // refuse a bad scope now, not after the user signed in
  const { deviceCode, userCode } = authority.grants.issueDeviceCode({
    clientId,
    scope: scope ?? '',
    expiresAt: authority.now() + DEVICE_CODE_LIFETIME_S * 1000,
  });
  const verificationUri =
    call.url.host === 'login.microsoftonline.com' ? 'https://microsoft.com/devicelogin' : `${call.origin}/devicelogin`;
  return Response.json(
    {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: authority.settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}

/** A live device authorization by user code, or an error a person understands. */
export function pendingDevice(authority: Authority, userCode: string): DeviceAuthorization {
  const device = authority.grants.deviceByUserCode(userCode);
  if (!device || device.status !== 'pending' || device.expiresAt < authority.now()) throw aadsts('deviceCodeNotValid', userCode);
  return device;
}

/** The person approves (signs in, consents): the client's next poll receives the tokens. */
export function approveDevice(authority: Authority, userCode: string, userOidOrUpn: string): FakeUser {
  const device = pendingDevice(authority, userCode);
  const user = findUser(authority.model, userOidOrUpn);
  if (!user) throw aadsts('unknownUser', userOidOrUpn);
  device.status = 'approved';
  device.userId = user.id;
  return user;
}

/** The permissions the device's client still needs the user's consent for. */
function permissionsToConsent(authority: Authority, device: DeviceAuthorization, user: FakeUser): string[] {
  const client = findApp(authority.model, device.clientId)!;
  const scopes = parseScopes(authority.model, device.scope);
  const granted = consentedScopes(authority.model, client, scopes.resource, user.id);
  return scopes.isDefault ? [] : scopes.scopes.filter((scope) => !granted.has(scope));
}

/**
 * `GET|POST {origin}/devicelogin`: enter the code, pick an account, consent if needed. Each step posts
 * back here with what the previous ones established (`user_code`, then `user`, then `consent`).
 */
export async function deviceLogin(authority: Authority, call: Call): Promise<Response> {
  const action = call.url.pathname;
  if (call.request.method !== 'POST') return showing(htmlResponse(deviceCodeEntryPage(action)), { page: 'device-code' });
  const params = new URLSearchParams(await call.request.text());
  const userCode = params.get('user_code') ?? '';
  let device: DeviceAuthorization;
  try {
    device = pendingDevice(authority, userCode);
  } catch {
    const error = 'That code was not recognised, or it has expired. Check the code and try again.';
    return showing(htmlResponse(deviceCodeEntryPage(action, error)), { page: 'device-code', error });
  }
  const client = findApp(authority.model, device.clientId)!;
  const user = findUser(authority.model, params.get('user') ?? '');
  const password = params.get('password');
  if (!user || (password !== null && password !== user.password)) {
    const error = user ? signInPageError('wrongPassword') : undefined;
    const carry = new URLSearchParams({ user_code: device.userCode });
    const html = signInPage({ appName: client.displayName, action, params: carry, users: authority.model.users, ...(error ? { error } : {}) });
    return showing(htmlResponse(html), { page: 'sign-in', ...(error ? { error } : {}) });
  }
  const toConsent = permissionsToConsent(authority, device, user);
  if (toConsent.length > 0) {
    const consent = params.get('consent');
    if (consent === 'no') {
      device.status = 'declined';
      return showing(htmlResponse(messagePage('Sign-in cancelled', `You declined to sign in to ${client.displayName}. You can close this window.`)), { page: 'declined' });
    }
    if (consent !== 'yes') {
      const resource = parseScopes(authority.model, device.scope).resource;
      const permissions = toConsent.map((value) => ({
        value,
        description: resource.api.oauth2PermissionScopes.find((scope) => scope.value === value)?.userConsentDescription ?? value,
      }));
      const carry = new URLSearchParams({ user_code: device.userCode, user: user.id });
      return showing(htmlResponse(consentPage({ appName: client.displayName, action, params: carry, permissions })), { page: 'consent' });
    }
    grantConsent(authority.model, client, parseScopes(authority.model, device.scope).resource, user.id, toConsent);
  }
  approveDevice(authority, device.userCode, user.id);
  const signedIn = messagePage('You are signed in', `You have signed in to ${client.displayName} on your device. You may now close this window.`);
  return showing(htmlResponse(signedIn), { page: 'signed-in' });
}
