// Microsoft Graph's errors, in words a person can act on. Graph answers `{ error: { code, message } }`
// with an HTTP status; the Graph client turns that into a GraphError. Its text ("Insufficient privileges
// to complete the operation.") says what failed, not what to do: that is this file's job.
import { GraphError } from '@microsoft/microsoft-graph-client';

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
  // #region solution
  const request = error.requestId ? ` (Graph request-id ${error.requestId})` : '';
  const failed = `Microsoft Graph refused ${doing}${request}:`;
  switch (error.statusCode) {
    case 401:
      return new RegistrationError(`${failed} your sign-in is not valid for Microsoft Graph (expired, or issued for another API). Sign in again and re-run the command.`);
    case 403:
      return new RegistrationError(`${failed} you are not allowed to manage app registrations. ${PERMISSION_HELP}`);
    case 429:
      // The Graph client already waited and retried (it honours Retry-After): more retries now would not help.
      return new RegistrationError(`${failed} Graph is throttling requests (429 Too Many Requests) even after retrying. Wait a minute, then run the command again: it finds what it already created and goes on from there.`);
    case 409:
      return new RegistrationError(`${failed} the object already exists (${error.code}). Someone or something created it at the same time: run the command again, and it will find and reuse it.`);
    case 400:
      if (/identifierUris/i.test(`${error.message} ${error.body ?? ''}`)) {
        return new RegistrationError(`${failed} another app registration already uses this Application ID URI. Remove it from that app (App registrations > the app > Expose an API), or delete the older app, then run the command again.`);
      }
      if (error.code === 'CredentialInvalidLifetimeAsPerAppPolicy') {
        return new RegistrationError(`${failed} your tenant's app management policy allows shorter-lived client secrets. Run the command again with a smaller --secret-days.`);
      }
      return new RegistrationError(`${failed} ${error.code ?? 'Bad request'}: ${error.message}`);
    default:
      return new RegistrationError(`${failed} ${error.statusCode} ${error.code ?? ''}: ${error.message}`);
  }
  // #endregion
}
