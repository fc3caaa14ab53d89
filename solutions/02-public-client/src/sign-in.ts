// Signing a person in without making anyone wait. msal-node has two ways for a public client:
//   device code  the person opens a page on any device and enters a code (a terminal, SSH, a container)
//   browser      the system browser opens Entra's sign-in page, which sends the person back to a
//                loopback address on this machine (acquireTokenInteractive: PKCE, a state, 127.0.0.1)
// Either one starts in the background: it hands over what the person must do (a SignInPrompt) as soon
// as Entra gives it, and ends on its own once they have done it, with the tokens saved in the cache.
import { randomUUID } from 'node:crypto';
import type { AuthenticationResult, DeviceCodeRequest, PublicClientApplication } from '@azure/msal-node';

export type SignInMethod = 'browser' | 'device-code';

/** How long a browser sign-in waits for the person: as long as an Entra device code lasts (15 minutes). */
export const BROWSER_SIGN_IN_MS = 15 * 60_000;

/** What the person must do to sign in. Safe to show anyone: never a device_code, a state or a token. */
export interface SignInPrompt {
  /** One per sign-in: a client that is told about it twice (a URL elicitation's id) sees the same one. */
  id: string;
  method: SignInMethod;
  /** The page the person opens themselves (the device code's); none when their browser was opened for them. */
  url?: string;
  /** The code they enter on that page (device code only). */
  userCode?: string;
  /** What to tell them, in Entra's words where it has them. */
  message: string;
  /** When the sign-in can no longer finish (epoch ms). */
  expiresAt: number;
}

/** Only a person can go on: the tool shows them `prompt` and answers at once. */
export class SignInRequiredError extends Error {
  override name = 'SignInRequiredError';
  constructor(readonly prompt: SignInPrompt) {
    super(prompt.message);
  }
}

/** A sign-in under way. */
export interface SignIn {
  /** What the person must do, as soon as Entra says it (fails if the sign-in fails before). */
  prompt: Promise<SignInPrompt>;
  /** Its end: msal's result, the tokens already in the cache; or why it failed. */
  done: Promise<AuthenticationResult | null>;
  /** Whether its time has run out: an expired sign-in can never finish. */
  expired(): boolean;
  /** Stops it: msal stops waiting for the person. */
  cancel(): void;
}

/** Starts msal's device code flow in the background. */
export function deviceCodeSignIn(msal: PublicClientApplication, scopes: string[]): SignIn {
  const slot = promptSlot();
  // TODO(02.2): Start msal's device code flow without awaiting it (it ends when the person is done). Its
  // deviceCodeCallback gets Entra's answer: slot.show() the page (verificationUri), the code (userCode)
  // and Entra's message, expiring after expiresIn seconds; never response.deviceCode, the secret msal
  // polls with. Return signIn(slot, the flow's promise, cancel): to cancel, set the request's `cancel`.
  // #region solution
  const request: DeviceCodeRequest = {
    scopes,
    deviceCodeCallback: ({ verificationUri, userCode, message, expiresIn }) => {
      if (!userCode) return; // Entra refused the request (msal still calls back): msal fails next, with the reason
      slot.show({ method: 'device-code', url: verificationUri, userCode, message, expiresAt: Date.now() + expiresIn * 1000 });
    },
  };
  return signIn(slot, msal.acquireTokenByDeviceCode(request), () => {
    request.cancel = true; // msal stops at its next poll
  });
  // #endregion
}

/** Starts msal's interactive flow in the background: the system browser, back to a loopback address. */
export function browserSignIn(msal: PublicClientApplication, scopes: string[], openBrowser: (url: string) => Promise<void>): SignIn {
  const slot = promptSlot();
  let signInPage: URL | undefined; // Entra's authorize URL: it carries the state, so it never leaves this file
  // TODO(02.2): Start acquireTokenInteractive without awaiting it. msal listens on a loopback address,
  // builds Entra's sign-in URL (PKCE, a state) and calls your openBrowser with it: keep it in signInPage,
  // open the system browser there, then slot.show() a message that names the sign-in page's host, never
  // its URL. It has no expiry of its own: BROWSER_SIGN_IN_MS bounds it. Return signIn(slot, the flow's
  // promise, cancel): to cancel, abandonLoopback(signInPage).
  // #region solution
  const done = msal.acquireTokenInteractive({
    scopes,
    openBrowser: async (url) => {
      signInPage = new URL(url);
      await openBrowser(url);
      slot.show({
        method: 'browser',
        message: `A browser window opened to sign you in at ${signInPage.host}: sign in there. No window? Set LOCAL_SIGN_IN=device-code and restart the server.`,
        expiresAt: Date.now() + BROWSER_SIGN_IN_MS,
      });
    },
    successTemplate: 'You are signed in. You can close this window and call the tool again.',
  });
  return signIn(slot, done, () => signInPage && abandonLoopback(signInPage));
  // #endregion
}

/**
 * msal-node cannot cancel acquireTokenInteractive: its loopback listener waits for the browser. Answer
 * it the way Entra answers a sign-in the person gave up on (an error, with the request's state), and
 * msal closes the listener and fails the sign-in.
 */
export function abandonLoopback(signInPage: URL): void {
  const redirectUri = signInPage.searchParams.get('redirect_uri');
  const state = signInPage.searchParams.get('state');
  if (!redirectUri || !state) return;
  const listener = new URL(redirectUri);
  listener.hostname = '127.0.0.1'; // where msal listens (it names it localhost, as Entra expects)
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'The sign-in expired.', state });
  fetch(listener, { method: 'POST', body }).catch(() => {}); // closed already: nothing left to stop
}

/** A sign-in's prompt, shown once, and its expiry (unknown, so never reached, until Entra answers). */
interface PromptSlot {
  prompt: Promise<SignInPrompt>;
  show(details: Omit<SignInPrompt, 'id'>): void;
  expired(): boolean;
}

function promptSlot(): PromptSlot {
  let expiresAt = Number.POSITIVE_INFINITY;
  let resolve!: (prompt: SignInPrompt) => void;
  const prompt = new Promise<SignInPrompt>((settle) => (resolve = settle));
  return {
    prompt,
    show(details) {
      expiresAt = details.expiresAt;
      resolve({ id: randomUUID(), ...details });
    },
    expired: () => Date.now() >= expiresAt,
  };
}

/** A started flow as a SignIn: its prompt fails if the flow ends before showing one. */
export function signIn(slot: PromptSlot, done: Promise<AuthenticationResult | null>, cancel: () => void): SignIn {
  const endedFirst = done.then(() => {
    throw new Error('The sign-in ended before Entra asked anything of the person.');
  });
  return { prompt: Promise.race([slot.prompt, endedFirst]), done, expired: slot.expired, cancel };
}
