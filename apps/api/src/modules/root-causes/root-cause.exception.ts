import { AppException, FieldError } from '../../common/problem/app.exception';

export enum RootCauseExceptionCode {
  ROOT_CAUSE_CASE_KEPT = 'ROOT_CAUSE_CASE_KEPT',
  ROOT_CAUSE_EXISTS = 'ROOT_CAUSE_EXISTS',
  ROOT_CAUSE_INVALID = 'ROOT_CAUSE_INVALID',
  ROOT_CAUSE_APPEND_ONLY = 'ROOT_CAUSE_APPEND_ONLY',
}

function statusOf(code: RootCauseExceptionCode): number {
  switch (code) {
    case RootCauseExceptionCode.ROOT_CAUSE_CASE_KEPT:
    case RootCauseExceptionCode.ROOT_CAUSE_INVALID:
      return 422;
    case RootCauseExceptionCode.ROOT_CAUSE_EXISTS:
    case RootCauseExceptionCode.ROOT_CAUSE_APPEND_ONLY:
      return 409;
  }
}

const TITLES: Record<RootCauseExceptionCode, string> = {
  ROOT_CAUSE_CASE_KEPT: 'The case was not missed',
  ROOT_CAUSE_EXISTS: 'The case already has a root cause',
  ROOT_CAUSE_INVALID: 'The root cause is not valid',
  ROOT_CAUSE_APPEND_ONLY: 'A root cause cannot be changed',
};

export class RootCauseException extends AppException {
  readonly status: number;

  constructor(code: RootCauseExceptionCode, detail?: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = statusOf(code);
  }
}
