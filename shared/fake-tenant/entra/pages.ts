// The few HTML pages of the authority: sign-in, consent, device login, form_post, errors. Plain,
// accessible markup (labels, buttons, one heading) and no script except form_post's auto-submit.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
button{display:block;width:100%;margin:.5rem 0;padding:.6rem;font:inherit;text-align:left;cursor:pointer}
.error{color:#a4262c}.fake{background:#fff4ce;border:1px solid #e9c46a;padding:.5rem .75rem;font-size:.9rem}</style>
</head>
<body><main>
<p class="fake" role="note">The workbook's <strong>fake</strong> Entra ID tenant: not a Microsoft page, and no real account.</p>
${body}
</main></body>
</html>`;
}

/**
 * What a page asks of the person, as data. The person a check plays (person.ts) reads this instead of
 * the HTML; a browser gets the same page and never sees it: it travels beside the response, in-process.
 */
export type PageShown =
  | { page: 'sign-in'; error?: string }
  | { page: 'consent' }
  | { page: 'device-code'; error?: string }
  | { page: 'signed-in' }
  | { page: 'declined' }
  | { page: 'form-post'; action: string; fields: URLSearchParams }
  | { page: 'error'; code: number; description: string };

const shownBy = new WeakMap<Response, PageShown>();

/** Labels a page's response with what it shows (see PageShown). */
export function showing(response: Response, shown: PageShown): Response {
  shownBy.set(response, shown);
  return response;
}

/** What a page's response shows, when the handler labelled it. */
export function pageShown(response: Response): PageShown | undefined {
  return shownBy.get(response);
}

export function htmlResponse(html: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('cache-control', 'no-store');
  // The sign-in pages must never be framed (clickjacking).
  headers.set('x-frame-options', 'DENY');
  return new Response(html, { ...init, headers });
}

/** The request's parameters, carried through a form as hidden inputs. */
export function hiddenInputs(params: URLSearchParams, skip: string[] = []): string {
  return [...params]
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

export interface UserChoice {
  id: string;
  displayName: string;
  userPrincipalName: string;
  password: string;
}

export function signInPage(options: {
  appName: string;
  action: string;
  params: URLSearchParams;
  users: UserChoice[];
  error?: string;
}): string {
  const buttons = options.users
    .map(
      (user) =>
        `<button type="submit" name="user" value="${escapeHtml(user.id)}">${escapeHtml(user.displayName)} ` +
        `<small>${escapeHtml(user.userPrincipalName)}</small></button>`,
    )
    .join('\n');
  // The fake accounts share a published password: say it, so nobody has to look it up.
  const passwords = new Set(options.users.map((user) => user.password));
  const passwordHint = passwords.size === 1 ? ` <small>(every account's is <code>${escapeHtml([...passwords][0]!)}</code>)</small>` : '';
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(options.appName)}</strong></p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
${hiddenInputs(options.params, ['user', 'password', 'consent'])}
<p><label>Password <input type="password" name="password" autocomplete="current-password" required></label>${passwordHint}</p>
<fieldset><legend>Pick an account</legend>
${buttons}
</fieldset>
</form>`,
  );
}

export function consentPage(options: {
  appName: string;
  action: string;
  params: URLSearchParams;
  permissions: Array<{ value: string; description: string }>;
}): string {
  const items = options.permissions
    .map((permission) => `<li><strong>${escapeHtml(permission.value)}</strong>: ${escapeHtml(permission.description)}</li>`)
    .join('\n');
  return page(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(options.appName)}</strong> would like to:</p>
<ul>${items}</ul>
<form method="post" action="${escapeHtml(options.action)}">
${hiddenInputs(options.params, ['consent', 'password'])}
<button type="submit" name="consent" value="yes">Accept</button>
<button type="submit" name="consent" value="no">Cancel</button>
</form>`,
  );
}

/** `response_mode=form_post`: the browser posts the result to the app. */
export function formPostPage(redirectUri: string, result: URLSearchParams): string {
  return page(
    'Working...',
    `<form method="post" action="${escapeHtml(redirectUri)}">
${hiddenInputs(result)}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.forms[0].submit()</script>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

export function deviceCodeEntryPage(action: string, error?: string): string {
  return page(
    'Enter code',
    `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<p><label>Code <input name="user_code" autocomplete="off" autocapitalize="characters" required></label></p>
<button type="submit">Next</button>
</form>`,
  );
}
