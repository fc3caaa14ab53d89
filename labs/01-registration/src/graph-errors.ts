// Microsoft Graph's errors, in words a person can act on. Graph answers `{ error: { code, message } }`
// with an HTTP status; the Graph client turns that into a GraphError. Its text ("Insufficient privileges
// to complete the operation.") says what failed, not what to do: that is this file's job.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { todo } from '#shared/workbook/todo.ts';

/** A registration failure the person running the command can fix. Its message is all they need: no stack. */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`; // the steps to take; a stack trace would only bury them
  }
}

const PERMISSION_HELP =
  'Sign in as someone who may register apps (the Application Administrator or Cloud Application ' +
  'Administrator role), with a token that holds the delegated permission Application.ReadWrite.All ' +
  '(an administrator consents to it once, for the tool you sign in with).';

// TODO(01.4): Turn a GraphError into a RegistrationError that says what to do; `doing` names the step
// that failed ("creating the app 'X'"). 403 Authorization_RequestDenied, 401, 429 (after the Graph
// client's own retries), 400 duplicate identifierUris, 409 duplicate service principal. Any other
// error is returned as it is. Never copy a token or a secret into the message.
export function explainGraphError(error: unknown, doing: string): Error {
  if (!(error instanceof GraphError)) return error instanceof Error ? error : new Error(String(error));
  throw todo('01.4');
}
