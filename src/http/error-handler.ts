// One place maps errors to HTTP: domain errors to 4xx with a stable code, anything else to a logged
// 500 that shows no stack.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { AppError, ErrorCodes, type ErrorCode } from '../errors';
import { maskPath } from './request-log';

const STATUS: Record<ErrorCode, number> = {
  [ErrorCodes.VALIDATION]: 400,
  [ErrorCodes.INVALID_EMAIL]: 400,
  [ErrorCodes.INVALID_TOKEN]: 400,
  [ErrorCodes.EXPIRED_TOKEN]: 410,
  [ErrorCodes.USED_TOKEN]: 410,
  [ErrorCodes.NOT_FOUND]: 404,
  [ErrorCodes.CONFLICT]: 409,
  [ErrorCodes.DUPLICATE]: 409,
  [ErrorCodes.RATE_LIMITED]: 429,
  [ErrorCodes.UNAUTHENTICATED]: 401,
  [ErrorCodes.FORBIDDEN]: 403,
  [ErrorCodes.INVALID_MJML]: 400,
  [ErrorCodes.INVALID_STATE]: 409,
  [ErrorCodes.SUPPRESSED]: 409,
  [ErrorCodes.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCodes.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCodes.INTERNAL]: 500,
};

export function statusOf(err: AppError): number {
  return STATUS[err.code] ?? 400;
}

/** Errors raised by body parsers (express.json, urlencoded): the client's mistake, not ours. */
function fromBodyParser(err: unknown): AppError | undefined {
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') return new AppError(ErrorCodes.PAYLOAD_TOO_LARGE, 'request body too large');
  if (e.type === 'entity.parse.failed') return new AppError(ErrorCodes.VALIDATION, 'request body is not valid JSON');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new AppError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, e.message ?? 'unsupported encoding');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new AppError(ErrorCodes.VALIDATION, e.message ?? 'bad request');
  return undefined;
}

/**
 * What of an unexpected error goes into the log: its kind, message and stack, never the extra
 * properties libraries attach (a parser's `record` or `input` is a piece of the uploaded file).
 */
function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  return { type: err.name, message: err.message.slice(0, 500), stack: err.stack?.split('\n').slice(0, 12).join('\n'), code: (err as { code?: unknown }).code };
}

export type ErrorPageRenderer = (req: Request, res: Response, err: AppError, status: number) => boolean;

export function errorHandler(logger: Logger, renderPage?: ErrorPageRenderer) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = err instanceof AppError ? err : fromBodyParser(err);
    if (res.headersSent) {
      logger.error({ err: loggableError(err), path: maskPath(req.path) }, 'error after response started');
      return;
    }
    if (!appError) {
      logger.error({ err: loggableError(err), method: req.method, path: maskPath(req.path) }, 'unhandled error');
      const internal = new AppError(ErrorCodes.INTERNAL, 'Internal error');
      if (renderPage?.(req, res, internal, 500)) return;
      res.status(500).json({ error: { code: internal.code, message: internal.message } });
      return;
    }
    const status = statusOf(appError);
    if (renderPage?.(req, res, appError, status)) return;
    res.status(status).json({ error: { code: appError.code, message: appError.message, details: appError.details } });
  };
}
