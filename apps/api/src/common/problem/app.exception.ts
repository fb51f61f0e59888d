export interface FieldError {
  path: string;
  message: string;
}

/**
 * Base of every typed exception. Each module declares its own code enum and maps every code to an
 * HTTP status in an exhaustive switch; the global filter turns it into problem+json.
 */
export abstract class AppException extends Error {
  abstract readonly status: number;

  protected constructor(
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export enum CommonExceptionCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  PRECONDITION_FAILED = 'PRECONDITION_FAILED',
  PRECONDITION_REQUIRED = 'PRECONDITION_REQUIRED',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INVALID_IDEMPOTENCY_KEY = 'INVALID_IDEMPOTENCY_KEY',
  UNPROCESSABLE = 'UNPROCESSABLE',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The password does not meet the policy (length, not the e-mail, not repeated, not common). */
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  /** The database cannot be reached right now (restart, outage): try again after Retry-After. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export function commonStatus(code: CommonExceptionCode): number {
  switch (code) {
    case CommonExceptionCode.VALIDATION_FAILED:
    case CommonExceptionCode.MALFORMED_REQUEST:
    case CommonExceptionCode.INVALID_IDEMPOTENCY_KEY:
      return 400;
    case CommonExceptionCode.UNAUTHENTICATED:
      return 401;
    case CommonExceptionCode.FORBIDDEN:
      return 403;
    case CommonExceptionCode.NOT_FOUND:
      return 404;
    case CommonExceptionCode.VERSION_CONFLICT:
    case CommonExceptionCode.CONFLICT:
      return 409;
    case CommonExceptionCode.PRECONDITION_FAILED:
      return 412;
    case CommonExceptionCode.PAYLOAD_TOO_LARGE:
      return 413;
    case CommonExceptionCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case CommonExceptionCode.IDEMPOTENCY_KEY_REUSED:
    case CommonExceptionCode.UNPROCESSABLE:
    case CommonExceptionCode.WEAK_PASSWORD:
      return 422;
    case CommonExceptionCode.TOO_MANY_REQUESTS:
      return 429;
    case CommonExceptionCode.PRECONDITION_REQUIRED:
      return 428;
    case CommonExceptionCode.INTERNAL:
      return 500;
    case CommonExceptionCode.SERVICE_UNAVAILABLE:
      return 503;
  }
}

const TITLES: Record<CommonExceptionCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  MALFORMED_REQUEST: 'The request body could not be read',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed for your role',
  NOT_FOUND: 'Not found',
  VERSION_CONFLICT: 'The resource has changed since you read it',
  PRECONDITION_FAILED: 'The resource has changed since you read it',
  PRECONDITION_REQUIRED: 'The current version is required',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was already used for a different request',
  INVALID_IDEMPOTENCY_KEY: 'The Idempotency-Key header is not valid',
  UNPROCESSABLE: 'The request cannot be processed',
  CONFLICT: 'The request conflicts with the current state',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  WEAK_PASSWORD: 'The password is too weak',
  TOO_MANY_REQUESTS: 'Too many requests',
  SERVICE_UNAVAILABLE: 'Service temporarily unavailable',
  INTERNAL: 'Internal server error',
};

export class CommonException extends AppException {
  readonly status: number;

  constructor(code: CommonExceptionCode, detail?: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = commonStatus(code);
  }
}

export const notFound = (what: string, id?: string) =>
  new CommonException(CommonExceptionCode.NOT_FOUND, id ? `${what} ${id} does not exist` : `${what} does not exist`);

export const unprocessable = (detail: string, errors?: FieldError[]) =>
  new CommonException(CommonExceptionCode.UNPROCESSABLE, detail, errors);
