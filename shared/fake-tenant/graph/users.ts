// Graph's users: `GET /me` (the signed-in user; delegated tokens only), `GET /users/{id | upn}` and
// `GET /users`. With `User.Read` an app reads only the signed-in user's own profile; reading anyone
// else takes `User.ReadBasic.All` or more.
import { requirePermission, type Permissions } from './auth.ts';
import type { GraphCall } from './call.ts';
import { badRequest, resourceNotFound } from './errors.ts';
import { parseQuery, type EntityType } from './query.ts';
import { collectionResponse, entityResponse } from './responses.ts';
import { findUser } from '../directory.ts';
import type { FakeUser } from '../model.ts';

/** What Graph v1.0 returns for a user when there is no `$select`. */
const DEFAULT_PROPERTIES = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone',
  'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
] as const;

/** Real user properties the fake tenant holds no value for: `$select` returns them as null, as Graph does. */
const UNSET_PROPERTIES = [
  'aboutMe', 'ageGroup', 'city', 'companyName', 'country', 'department', 'employeeId', 'employeeType',
  'faxNumber', 'postalCode', 'state', 'streetAddress', 'usageLocation',
] as const;

const USER: EntityType = {
  typeName: 'microsoft.graph.user',
  resource: 'User',
  properties: [...DEFAULT_PROPERTIES, 'accountEnabled', 'otherMails', 'userType', ...UNSET_PROPERTIES],
  filterable: ['id', 'displayName', 'givenName', 'mail', 'surname', 'userPrincipalName'],
};

const SELF: Permissions = {
  delegated: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  application: [],
};
const ANY_USER: Permissions = {
  delegated: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  application: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

/** The user as Graph shows it: every property `$select` may name, and never the fake's password. */
function userView(user: FakeUser): Record<string, unknown> {
  const { password: _never, ...profile } = user;
  const unset = Object.fromEntries(UNSET_PROPERTIES.map((property) => [property, null]));
  return { ...unset, ...profile, accountEnabled: true, otherMails: [], userType: 'Member' };
}

function respondWithUser(call: GraphCall, user: FakeUser): Response {
  const { select } = parseQuery(call.url, USER);
  return entityResponse(call, 'users', userView(user), select, DEFAULT_PROPERTIES);
}

export async function getMe(call: GraphCall): Promise<Response> {
  const { caller } = call;
  if (caller.kind !== 'delegated') throw badRequest('/me request is only valid with delegated authentication flow.');
  requirePermission(caller, SELF);
  const user = findUser(call.ctx.model, caller.userId);
  if (!user) throw resourceNotFound(caller.userId);
  return respondWithUser(call, user);
}

export async function getUser(call: GraphCall): Promise<Response> {
  const idOrUpn = call.params[0]!;
  const { caller } = call;
  const user = findUser(call.ctx.model, idOrUpn);
  const isSelf = caller.kind === 'delegated' && user?.id === caller.userId;
  requirePermission(caller, isSelf ? SELF : ANY_USER);
  if (!user) throw resourceNotFound(idOrUpn);
  return respondWithUser(call, user);
}

export async function listUsers(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, ANY_USER);
  const query = parseQuery(call.url, USER);
  return collectionResponse(call, 'users', call.ctx.model.users.map(userView), query, DEFAULT_PROPERTIES);
}
