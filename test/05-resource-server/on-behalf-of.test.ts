// Step 05.3: on-behalf-of. Graph's requests are watched on their way out of this process, so the check
// sees the token Graph received: one Entra issued for Graph, never the token the client sent.
import { InteractionRequiredAuthError } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterEach, expect, vi } from 'vitest';
import { useFakeTenant } from '#shared/fake-tenant/vitest.ts';
import { checksFor } from '#shared/workbook/check.ts';
import { importTarget } from '#shared/workbook/target.ts';
import { rejectionOf, settings, TENANT_OPTIONS, userToken } from './helpers.ts';
import lab from './lab.ts';

type OboModule = typeof import('../../labs/05-resource-server/src/on-behalf-of.ts');
const { tenant } = useFakeTenant(TENANT_OPTIONS);
const check = checksFor(lab);
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The bearer tokens of the requests this process sends to Microsoft Graph. */
function watchGraph(): string[] {
  const tokens: string[] = [];
  const fetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).hostname === 'graph.microsoft.com') tokens.push(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '');
    return fetch(request);
  });
  return tokens;
}

afterEach(() => vi.restoreAllMocks());

check('05.3.1', async () => {
  const { graphOnBehalfOf } = await importTarget<OboModule>(lab, 'src/on-behalf-of.ts');
  const graphTokens = watchGraph();
  const graph = graphOnBehalfOf({ settings: settings() });
  const incomingTokens: string[] = [];
  for (const upn of ['adele@contoso.onmicrosoft.com', 'megan@contoso.onmicrosoft.com']) {
    const incoming = await userToken(tenant(), upn);
    incomingTokens.push(incoming);
    const me = await graph.me(incoming);
    expect(me, `/me describes ${upn}`).toMatchObject({ userPrincipalName: upn });
    const sent = graphTokens.at(-1);
    expect(sent, 'Graph was called').toBeTruthy();
    expect(sent, 'Graph never receives the client\'s token (no token passthrough)').not.toBe(incoming);
    expect(decodeJwt(sent!), 'Graph receives a token Entra issued for Graph, for the same user').toMatchObject({
      aud: 'https://graph.microsoft.com',
      oid: decodeJwt(incoming).oid,
    });
  }
  await graph.me(incomingTokens[0]!);
  expect(tenant().log.count((entry) => entry.grantType === OBO_GRANT), 'one on-behalf-of exchange per user: the second call uses msal\'s cache').toBe(2);
  expect(tenant().log.count('token'), 'and no other token request').toBe(2);
});

check('05.3.2', async () => {
  const { graphOnBehalfOf, ConsentRequiredError } = await importTarget<OboModule>(lab, 'src/on-behalf-of.ts');
  // The server's registration has User.Read consented, not User.ReadBasic.All: Entra answers AADSTS65001.
  const graph = graphOnBehalfOf({ settings: settings(), graphScopes: ['https://graph.microsoft.com/User.ReadBasic.All'] });
  const incoming = await userToken(tenant(), 'alex@contoso.onmicrosoft.com');
  const failure = await rejectionOf(graph.me(incoming));
  expect(failure, 'missing consent is a ConsentRequiredError').toBeInstanceOf(ConsentRequiredError);
  expect(failure, 'not msal\'s own error passed on').not.toBeInstanceOf(InteractionRequiredAuthError);
  const { message } = failure as Error;
  expect(message, 'it says what is missing: consent, for which permission').toMatch(/consent/i);
  expect(message, 'it names the permission that needs consent (User.ReadBasic.All)').toContain('User.ReadBasic.All');
  expect(message, 'and what to do: an administrator grants it').toMatch(/admin/i);
  expect(message, 'no token in the message').not.toContain(incoming.split('.')[1]!);
  expect(tenant().log.count('graph:/me'), 'Graph is not called without a Graph token').toBe(0);
});
