// The "browser" the Inspector opens during interop (its BROWSER, see inspector.ts): a headless person
// who signs in on the fake tenant's page as INTEROP_PERSON and follows the redirects back to the
// Inspector's callback. The Inspector starts it with no terminal, so it tells interop what happened in
// INTEROP_BROWSER_REPORT: one JSON line per URL opened, with no query (it holds `state` and codes).
import { appendFileSync } from 'node:fs';
import { SignInPageError, signInInBrowser } from '#shared/fake-tenant/browser-person.ts';

export interface BrowserReport {
  /** `arrived`: the sign-in ended at the app's page; `refused`: the tenant showed an error page. */
  outcome: 'arrived' | 'refused';
  /** Where the browser came to rest (origin and path), or what the page said. */
  detail: string;
  aadsts?: number;
}

const [url] = process.argv.slice(2);
const report = (line: BrowserReport) => appendFileSync(process.env.INTEROP_BROWSER_REPORT!, `${JSON.stringify(line)}\n`, { mode: 0o600 });

try {
  const arrival = await signInInBrowser(url!, { user: process.env.INTEROP_PERSON! });
  report({ outcome: 'arrived', detail: `${arrival.url.origin}${arrival.url.pathname} (${arrival.status})` });
} catch (error) {
  const aadsts = error instanceof SignInPageError ? error.aadsts : undefined;
  report({ outcome: 'refused', detail: error instanceof Error ? error.message : String(error), ...(aadsts === undefined ? {} : { aadsts }) });
  process.exitCode = 1;
}
