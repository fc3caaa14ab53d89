// DNS rebinding: a web page on evil.example makes its own host name resolve to 127.0.0.1 a moment later,
// and the browser then lets the page's scripts talk to a server on your machine as if it were the page's
// own. The Host header check (createMcpExpressApp) stops a request addressed to the attacker's name; the
// Origin header, which the browser sets and a page cannot change, names the page that sent the request.
// The MCP specification says a server MUST validate it on every request to the MCP endpoint.
import type { RequestHandler } from 'express';

// TODO(03.6): Refuse (403) a request whose Origin header is present but not one of `allowedOrigins`; `null` is never allowed. No Origin: not a browser page, let it through.
/** `allowedOrigins`: full origins such as `http://localhost:3000` (scheme, host and port). */
export function refuseForeignOrigins(allowedOrigins: readonly string[]): RequestHandler {
  // #region solution
  // #starter return (_req, _res, next) => next(); // every page is welcome: see step 6 in the README
  // An opaque origin (a file: URL's, say) serialises as "null": it can never be on the list.
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin).filter((origin) => origin !== 'null'));
  return (req, res, next) => {
    const origin = req.header('origin');
    if (origin === undefined) return next(); // MCP clients that are not web pages send none
    // Compare whole origins, never prefixes (http://localhost:3000.evil.example starts with the real one).
    // `null` (a sandboxed frame, a file: page) and anything unparseable are refused.
    if (allowed.has(origin)) return next();
    res.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: this origin may not use the MCP endpoint.' }, id: null });
  };
  // #endregion
}
