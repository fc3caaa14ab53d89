// The settings the later labs read, checked as a whole: every rule runs, and one error lists every
// variable that is wrong, what is wrong with it and where in the Entra admin center the right value is.
// A person fixing .env then sees all the problems at once, not one per run.
import { SETTINGS, type SettingName } from '#shared/settings-catalog.ts';
import { SettingsError, type SettingProblem } from '#shared/settings.ts';
import { clientIdProblem, clientSecretProblem, redirectUriProblem, tenantIdProblem, type Problem } from './settings-rules.ts';
import { todo } from '#shared/workbook/todo.ts';

/** What lab 01 produces and labs 02-05 consume. */
export interface RegisteredSettings {
  tenantId: string;
  localClientId: string;
  serverClientId: string;
  serverClientSecret: string;
  serverBaseUrl: string;
  /** Where Entra sends the remote server's users back after sign-in: `${serverBaseUrl}/auth/callback`. */
  serverRedirectUri: string;
}

/** Each variable with its rule. An unset value reaches the rule as undefined. */
const RULES: Partial<Record<SettingName, (value: string | undefined) => Problem>> = {
  ENTRA_TENANT_ID: required(tenantIdProblem),
  LOCAL_CLIENT_ID: required(clientIdProblem),
  SERVER_CLIENT_ID: required(clientIdProblem),
  SERVER_CLIENT_SECRET: (value) => clientSecretProblem(value, 'confidential'),
  SERVER_BASE_URL: required((value) => redirectUriProblem(`${value.replace(/\/+$/, '')}/auth/callback`)),
};

function required(problemOf: (value: string) => Problem): (value: string | undefined) => Problem {
  return (value) => (value ? problemOf(value) : 'is not set.');
}

// TODO(01.1): Run every rule, and throw one SettingsError naming each variable, its problem and where to find it.
export function loadRegisteredSettings(values: Record<string, string | undefined>): RegisteredSettings {
  throw todo('01.1');
}
