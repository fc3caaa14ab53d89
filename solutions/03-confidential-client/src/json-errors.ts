// The last handler: every error becomes a short JSON answer. Express's own handler would send an HTML
// page with the stack trace and file paths (for malformed JSON, say) unless NODE_ENV=production.
import type { ErrorRequestHandler } from 'express';
import { errorName } from './auth-provider.ts';
import type { ServerLog } from './server-log.ts';

export function jsonErrors(log: ServerLog): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    // body-parser's errors carry a 4xx status (400 malformed JSON, 413 too large); anything else is ours.
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ event: 'unexpected_error', error: errorName(error) }, 'unexpected error');
    res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'Something went wrong.' : 'The request could not be read.' });
  };
}
