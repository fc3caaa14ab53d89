// The rules a setting must follow, one small function each: it returns what is wrong with a value, or
// undefined when the value is fine. The workbook's own settings (settings-catalog.ts) run these.
// Lab 01 has the learner write the same rules (its step 1, src/settings-rules.ts); its checks compare
// the learner's answers with these on many values, so on the reference solution they also prove that
// the two copies agree.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name such as contoso.onmicrosoft.com: labels of letters, digits and hyphens, and a top-level domain. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** The hosts where plain http is acceptable: this machine only (a redirect there never crosses a network). */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export type Problem = string | undefined;

/** A tenant: its ID (a GUID) or a verified domain such as contoso.onmicrosoft.com. */
export function tenantIdProblem(value: string): Problem {
  if (GUID.test(value) || DOMAIN.test(value)) return undefined;
  return 'must be the tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.';
}

/** A client ID: Entra names every app by a GUID, the Application (client) ID. */
export function clientIdProblem(value: string): Problem {
  if (GUID.test(value)) return undefined;
  return 'must be a GUID like 00000000-0000-0000-0000-000000000000 (an Application (client) ID).';
}

/** A redirect URI: https, except http on localhost or 127.0.0.1 while developing. */
export function redirectUriProblem(value: string): Problem {
  if (!URL.canParse(value)) return 'must be an absolute URL such as https://mcp.contoso.com/auth/callback.';
  const url = new URL(value);
  if (url.protocol === 'https:') return undefined;
  // Anything else would carry authorization codes across a network in the clear.
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)) return undefined;
  return 'must use https; plain http is only for localhost or 127.0.0.1 while developing.';
}

/** A public client runs where its users can read its files; a confidential client runs on a server you control. */
export type ClientKind = 'public' | 'confidential';

/** A client secret: a confidential client needs one, a public client must have none. */
export function clientSecretProblem(value: string | undefined, client: ClientKind): Problem {
  if (client === 'public') {
    return value ? 'must not be set: a public client cannot keep a secret (anyone with the app can read it).' : undefined;
  }
  if (!value) return 'is not set: a confidential client proves who it is with a client secret.';
  // The portal shows a secret's Value once, beside its Secret ID (a GUID): the ID is the usual mix-up.
  if (GUID.test(value)) return 'looks like the Secret ID (a GUID): copy the secret Value instead.';
  if (value.length < 16) return 'looks too short for an Entra client secret (copy the secret Value, not its ID).';
  return undefined;
}
