// The one list of error codes. The domain throws these; only the HTTP error handler maps them to
// status codes and pages.
export const ErrorCodes = {
  VALIDATION: 'validation_failed',
  INVALID_EMAIL: 'invalid_email',
  INVALID_TOKEN: 'invalid_token',
  EXPIRED_TOKEN: 'expired_token',
  USED_TOKEN: 'used_token',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  DUPLICATE: 'duplicate',
  RATE_LIMITED: 'rate_limited',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  INVALID_MJML: 'invalid_mjml',
  INVALID_STATE: 'invalid_state',
  SUPPRESSED: 'suppressed',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  /** Our failure, never the client's: logged, shown without details. */
  INTERNAL: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(ErrorCodes.VALIDATION, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(ErrorCodes.NOT_FOUND, `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(ErrorCodes.CONFLICT, message, details);
  }
}

export class DuplicateError extends AppError {
  constructor(message: string, details?: unknown) {
    super(ErrorCodes.DUPLICATE, message, details);
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super(ErrorCodes.INVALID_STATE, message);
  }
}

/** MongoDB and FerretDB both report a unique-index violation as code 11000. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
