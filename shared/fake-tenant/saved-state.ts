// What a hand run's tenant keeps between runs, so that stopping `npm run lab` (or `npm run tenant`) and
// starting it again restarts your server, not Entra: a real tenant never forgets your sign-ins because
// your laptop's server restarted. Kept: the signing keys (tokens a lab server still holds keep verifying,
// at Graph too), the refresh tokens' grants and the browser sign-in sessions (by their SHA-256 only: the
// file opens nothing by itself), and the consents people gave. Not kept: codes and device codes (minutes
// long), faults, the request log. Bounded: the newest grants and sessions, up to SAVED_LIMITS.
// Checks never use it: each check file's tenant starts afresh.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { REFRESH_INACTIVITY_MS, type GrantStore } from './grants/store.ts';
import type { ConsentGrant, TenantModel } from './model.ts';

export interface SavedTenantState {
  version: 1;
  /** Private JWKs, newest (the signing key) first. */
  keys: JWK[];
  /** [hash of the refresh token, its grant]. */
  refreshTokens: Array<[string, z.infer<typeof refreshGrant>]>;
  /** [hash of the session cookie, its session]. */
  sessions: Array<[string, z.infer<typeof session>]>;
  /** Consents given on the consent page (the built-in tenant's own are not repeated here). */
  consents: ConsentGrant[];
}

/** At most this many of each are kept: the newest. */
export const SAVED_LIMITS = { refreshTokens: 500, sessions: 100, consents: 200, keys: 4 };

const refreshGrant = z.object({
  clientId: z.string(),
  userId: z.string(),
  issuedAt: z.number(),
  lastUsedAt: z.number(),
  revoked: z.boolean(),
  redeemed: z.boolean(),
});
const session = z.object({ userId: z.string(), createdAt: z.number() });
const stateSchema = z.object({
  version: z.literal(1),
  keys: z.array(z.looseObject({ kty: z.literal('RSA'), d: z.string() })).min(1).max(SAVED_LIMITS.keys),
  refreshTokens: z.array(z.tuple([z.string(), refreshGrant])).max(SAVED_LIMITS.refreshTokens),
  sessions: z.array(z.tuple([z.string(), session])).max(SAVED_LIMITS.sessions),
  consents: z
    .array(z.object({ clientAppId: z.string(), resourceAppId: z.string(), scopes: z.array(z.string()), principalId: z.string() }))
    .max(SAVED_LIMITS.consents),
});

const newest = <T>(entries: T[], time: (entry: T) => number, limit: number) => entries.sort((a, b) => time(b) - time(a)).slice(0, limit);
const sameConsent = (a: ConsentGrant, b: ConsentGrant) =>
  a.clientAppId === b.clientAppId && a.resourceAppId === b.resourceAppId && a.principalId === b.principalId && a.scopes.join(' ') === b.scopes.join(' ');

/** The state to save: what `grants` and `model` hold beyond `initialConsents`, bounded. */
export function stateToSave(parts: { keys: JWK[]; grants: GrantStore; model: TenantModel; initialConsents: ConsentGrant[]; now: number }): SavedTenantState {
  const { grants, model, now } = parts;
  const live = [...grants.refreshTokens].filter(([, grant]) => now - grant.lastUsedAt <= REFRESH_INACTIVITY_MS);
  const given = model.consents.filter((consent) => !parts.initialConsents.some((initial) => sameConsent(initial, consent)));
  return {
    version: 1,
    keys: parts.keys.slice(0, SAVED_LIMITS.keys),
    refreshTokens: newest(live, ([, grant]) => grant.lastUsedAt, SAVED_LIMITS.refreshTokens),
    sessions: newest([...grants.sessions], ([, entry]) => entry.createdAt, SAVED_LIMITS.sessions),
    consents: given.slice(-SAVED_LIMITS.consents),
  };
}

/** Puts saved grants, sessions and consents back into a new tenant's store and model (the keys go to SigningKeys.restore). */
export function restoreState(state: SavedTenantState, into: { grants: GrantStore; model: TenantModel }): void {
  for (const [hash, grant] of state.refreshTokens) into.grants.refreshTokens.set(hash, { ...grant });
  for (const [hash, entry] of state.sessions) into.grants.sessions.set(hash, { ...entry });
  for (const consent of state.consents) {
    if (!into.model.consents.some((existing) => sameConsent(existing, consent))) into.model.consents.push({ ...consent, scopes: [...consent.scopes] });
  }
}

/** The saved state in `path`, or undefined when there is none or it is not one (the tenant then starts afresh). */
export async function readSavedState(path: string): Promise<SavedTenantState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return stateSchema.parse(JSON.parse(text)) as SavedTenantState;
  } catch {
    return undefined;
  }
}

/** Writes the state readable by you alone (mode 0600), atomically: a reader sees the old file or the new one. */
export async function writeSavedState(path: string, state: SavedTenantState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(partial, JSON.stringify(state), { mode: 0o600, flag: 'wx' });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
