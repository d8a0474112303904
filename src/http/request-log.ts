import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

// Link tokens identify a person's subscription or request: whatever path they arrive on (a wrong
// case, a typo, a probe), the segment after a token route and any long token-shaped segment is cut.
const TOKEN_ROUTE = /^\/(u|confirm|r)\/[^/]+/i;
// Long and with a digit or a dot: route words (`resend-verification`) stay readable.
const TOKEN_SHAPED = /^(?=[^/]*[0-9.])[A-Za-z0-9_.~%-]{20,}$/;
const MAX_LOGGED_PATH = 300;

/** The path as it may appear in a log: no link tokens, bounded length. */
export function maskPath(path: string): string {
  const masked = path.replace(TOKEN_ROUTE, (_m, route: string) => `/${route}/:token`);
  const segments = masked.split('/').map((segment) => (TOKEN_SHAPED.test(segment) && !/^[0-9a-f]{24}$/.test(segment) ? ':token' : segment));
  const joined = segments.join('/');
  return joined.length > MAX_LOGGED_PATH ? `${joined.slice(0, MAX_LOGGED_PATH)}…` : joined;
}

/** One structured line per request: method, path (tokens cut off), status, duration. */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Below `info` (LOG_LEVEL=warn) the line would be built and dropped on every request.
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: maskPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
