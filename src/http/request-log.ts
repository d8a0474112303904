import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

/** One structured line per request: method, path (tokens cut off), status, duration. */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Link tokens identify a person's subscription: keep them out of logs.
      const path = req.path.replace(/^\/(u|confirm|r)\/.+/, '/$1/:token');
      logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
