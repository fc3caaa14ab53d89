// The rules a setting must follow, one small function each: it returns what is wrong with a value, or
// undefined when the value is fine. Pure functions are easy to test, and to compare: the checks run
// yours and the workbook's own copy of these rules (what its settings use) on many values.
import { todo } from '#shared/workbook/todo.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name such as contoso.onmicrosoft.com: labels of letters, digits and hyphens, and a top-level domain. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** The hosts where plain http is acceptable: this machine only (a redirect there never crosses a network). */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export type Problem = string | undefined;

// TODO(01.1): Check a tenant: its ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.
export function tenantIdProblem(value: string): Problem {
  throw todo('01.1');
}

// TODO(01.1): Check a client ID: Entra names every app by a GUID, the Application (client) ID.
export function clientIdProblem(value: string): Problem {
  throw todo('01.1');
}

// TODO(01.1): Check a redirect URI: https, except http on localhost or 127.0.0.1 while developing.
export function redirectUriProblem(value: string): Problem {
  throw todo('01.1');
}

/** A public client runs where its users can read its files; a confidential client runs on a server you control. */
export type ClientKind = 'public' | 'confidential';

// TODO(01.1): Check a client secret: a confidential client needs one, a public client must have none.
export function clientSecretProblem(value: string | undefined, client: ClientKind): Problem {
  throw todo('01.1');
}
