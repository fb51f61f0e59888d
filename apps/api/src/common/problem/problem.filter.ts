import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { QueryFailedError } from 'typeorm';
import type { ZodError } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-unavailable';
import { AppException, CommonException, CommonExceptionCode, FieldError } from './app.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: FieldError[];
  traceId?: string;
}

/** Turns every error into RFC 9457 problem+json. A 500 hides its detail and is logged under its traceId. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl ?? req.url;
    problem.traceId = req.id ? String(req.id) : undefined;
    if (!problem.traceId) {
      // Errors raised before the request logger ran (e.g. an unreadable JSON body) still get a trace id.
      const incoming = req.headers['x-request-id'];
      problem.traceId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
      if (!res.headersSent) res.setHeader('X-Request-Id', problem.traceId);
    }
    if (problem.code === CommonExceptionCode.SERVICE_UNAVAILABLE) {
      // Expected during a database restart: one line, no stack; the client is told when to come back.
      this.logger.warn({ traceId: problem.traceId, reason: (exception as Error)?.message }, 'database unavailable');
      if (!res.headersSent) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, traceId: problem.traceId }, 'unhandled error')
    }
    if (res.headersSent) return;
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ZodValidationException) {
      const zodError = exception.getZodError() as ZodError;
      return this.fromApp(
        new CommonException(
          CommonExceptionCode.VALIDATION_FAILED,
          'One or more fields are invalid',
          zodError.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
        ),
      );
    }
    if (exception instanceof AppException) return this.fromApp(exception);
    if (isDatabaseUnavailable(exception)) {
      return this.fromApp(new CommonException(CommonExceptionCode.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly'));
    }
    if (exception instanceof QueryFailedError && (exception.driverError as { code?: string })?.code === '23505') {
      // A unique constraint lost a race with a concurrent request (the service's own check came first).
      return this.fromApp(new CommonException(CommonExceptionCode.CONFLICT, 'A record with these values already exists'));
    }
    if (exception instanceof HttpException) return this.fromHttp(exception);
    if (isClientHttpError(exception)) {
      // body-parser's own errors (e.g. 413 request entity too large) are http-errors, not Nest exceptions.
      return this.fromApp(new CommonException(codeForStatus(exception.status), exception.message));
    }
    return this.fromApp(new CommonException(CommonExceptionCode.INTERNAL, 'An unexpected error occurred'));
  }

  private fromApp(e: AppException): Problem {
    return {
      type: `https://kept.dev/problems/${e.code.toLowerCase().replace(/_/g, '-')}`,
      title: e.title,
      status: e.status,
      detail: e.message,
      code: e.code,
      ...(e.errors?.length ? { errors: e.errors } : {}),
    };
  }

  private fromHttp(e: HttpException): Problem {
    const status = e.getStatus();
    const code = codeForStatus(status);
    const body = e.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? e.message);
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    return this.fromApp(new CommonException(code, status >= 500 ? 'An unexpected error occurred' : detail));
  }
}

function isClientHttpError(e: unknown): e is Error & { status: number } {
  const { status, expose } = (e ?? {}) as { status?: unknown; expose?: unknown };
  return e instanceof Error && typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

function codeForStatus(status: number): CommonExceptionCode {
  switch (status) {
    case 400:
      return CommonExceptionCode.MALFORMED_REQUEST;
    case 401:
      return CommonExceptionCode.UNAUTHENTICATED;
    case 403:
      return CommonExceptionCode.FORBIDDEN;
    case 404:
      return CommonExceptionCode.NOT_FOUND;
    case 409:
      return CommonExceptionCode.CONFLICT;
    case 412:
      return CommonExceptionCode.PRECONDITION_FAILED;
    case 413:
      return CommonExceptionCode.PAYLOAD_TOO_LARGE;
    case 415:
      return CommonExceptionCode.UNSUPPORTED_MEDIA_TYPE;
    case 422:
      return CommonExceptionCode.UNPROCESSABLE;
    case 429:
      return CommonExceptionCode.TOO_MANY_REQUESTS;
    case 503:
      return CommonExceptionCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 500 ? CommonExceptionCode.INTERNAL : CommonExceptionCode.MALFORMED_REQUEST;
  }
}
