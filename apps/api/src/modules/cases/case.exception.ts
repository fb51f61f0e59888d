import { AppException, FieldError } from '../../common/problem/app.exception';

export enum CaseExceptionCode {
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  CASE_CLOSED = 'CASE_CLOSED',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  INVALID_TIMES = 'INVALID_TIMES',
  INVALID_REFERENCE = 'INVALID_REFERENCE',
  INVALID_CURSOR = 'INVALID_CURSOR',
}

function caseStatus(code: CaseExceptionCode): number {
  switch (code) {
    case CaseExceptionCode.INVALID_CURSOR:
      return 400;
    case CaseExceptionCode.CASE_NOT_FOUND:
      return 404;
    case CaseExceptionCode.CASE_CLOSED:
    case CaseExceptionCode.INVALID_TRANSITION:
      return 409;
    case CaseExceptionCode.INVALID_TIMES:
    case CaseExceptionCode.INVALID_REFERENCE:
      return 422;
  }
}

const TITLES: Record<CaseExceptionCode, string> = {
  CASE_NOT_FOUND: 'Case not found',
  CASE_CLOSED: 'The case is closed',
  INVALID_TRANSITION: 'The case cannot make this change in its current status',
  INVALID_TIMES: 'The times are inconsistent',
  INVALID_REFERENCE: 'The case refers to something that does not exist',
  INVALID_CURSOR: 'The cursor is not valid',
};

export class CaseException extends AppException {
  readonly status: number;

  constructor(code: CaseExceptionCode, detail: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = caseStatus(code);
  }
}
