// Client secrets: `addPassword` generates one and returns it once, in that response. The tenant
// keeps only its SHA-256 hash (so the token endpoint can check it) and the first three characters
// as a hint. `removePassword` revokes one by its keyId.
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { findApplication, WRITE_APPLICATIONS } from './applications.ts';
import { passwordCredentialView } from './application-view.ts';
import { requirePermission } from './auth.ts';
import { readJsonBody, type GraphCall } from './call.ts';
import { GraphError, invalidValue, resourceNotFound } from './errors.ts';
import { GRAPH_V1, jsonResponse, noContent } from './responses.ts';
import { hashSecret, type PasswordCredential } from '../model.ts';

/** The fake tenant's app management policy: a secret lives two years at most (Graph's default lifetime). */
const MAX_LIFETIME_YEARS = 2;
const POLICY_ID = '00000000-0000-0000-0000-00000000c0de';

const LETTERS_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_CHARACTERS = `${LETTERS_AND_DIGITS}~._-`;

function randomText(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** 40 characters shaped like Entra's secrets: a three-character hint, a digit, `Q~`, then 34 more. */
function newSecret(): string {
  return randomText(LETTERS_AND_DIGITS, 3) + randomText('0123456789', 1) + 'Q~' + randomText(SECRET_CHARACTERS, 34);
}

const addPasswordBody = z.object({
  passwordCredential: z
    .object({
      displayName: z.string().nullish(),
      startDateTime: z.iso.datetime({ offset: true }).optional(),
      endDateTime: z.iso.datetime({ offset: true }).optional(),
    })
    .default({}),
});

function yearsAfter(start: Date, years: number): Date {
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

export async function addPassword(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const app = findApplication(call);
  const parsed = addPasswordBody.safeParse(await readJsonBody(call));
  if (!parsed.success) throw invalidValue(parsed.error.issues[0]!.path.at(-1)!.toString(), 'PasswordCredential');
  const requested = parsed.data.passwordCredential;
  const start = requested.startDateTime ? new Date(requested.startDateTime) : new Date(call.ctx.now());
  const end = requested.endDateTime ? new Date(requested.endDateTime) : yearsAfter(start, MAX_LIFETIME_YEARS);
  if (end <= start) throw invalidValue('endDateTime', 'PasswordCredential');
  if (end > yearsAfter(start, MAX_LIFETIME_YEARS)) {
    const message = `Credential lifetime exceeds the max value allowed as per assigned policy '${POLICY_ID}'.`;
    throw new GraphError(400, 'CredentialInvalidLifetimeAsPerAppPolicy', message, {}, [
      { code: 'InvalidKeyEndDate', message, target: 'EndDate' },
    ]);
  }
  const secret = newSecret();
  const credential: PasswordCredential = {
    keyId: randomUUID(),
    displayName: requested.displayName ?? null,
    hint: secret.slice(0, 3),
    startDateTime: start.toISOString(),
    endDateTime: end.toISOString(),
    secretHash: hashSecret(secret), // never the secret itself
  };
  app.passwordCredentials.push(credential);
  return jsonResponse(call, {
    '@odata.context': `${GRAPH_V1}/$metadata#microsoft.graph.passwordCredential`,
    ...passwordCredentialView(credential, secret),
  });
}

export async function removePassword(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const app = findApplication(call);
  const parsed = z.object({ keyId: z.guid() }).safeParse(await readJsonBody(call));
  if (!parsed.success) throw invalidValue('keyId', 'PasswordCredential');
  const index = app.passwordCredentials.findIndex((credential) => credential.keyId === parsed.data.keyId);
  if (index < 0) throw resourceNotFound(parsed.data.keyId);
  app.passwordCredentials.splice(index, 1);
  return noContent(call);
}
