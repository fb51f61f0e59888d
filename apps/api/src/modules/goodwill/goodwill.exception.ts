import { AppException, FieldError } from '../../common/problem/app.exception';

export enum GoodwillExceptionCode {
  GOODWILL_UNKNOWN_KIND = 'GOODWILL_UNKNOWN_KIND',
  GOODWILL_INVALID_OFFER = 'GOODWILL_INVALID_OFFER',
  GOODWILL_INVALID_SETTINGS = 'GOODWILL_INVALID_SETTINGS',
  GOODWILL_SELF_APPROVAL = 'GOODWILL_SELF_APPROVAL',
  GOODWILL_ABOVE_OWN_LIMIT = 'GOODWILL_ABOVE_OWN_LIMIT',
  GOODWILL_ALREADY_DECIDED = 'GOODWILL_ALREADY_DECIDED',
  GOODWILL_APPEND_ONLY = 'GOODWILL_APPEND_ONLY',
  GOODWILL_VERSION_CONFLICT = 'GOODWILL_VERSION_CONFLICT',
}

function statusOf(code: GoodwillExceptionCode): number {
  switch (code) {
    case GoodwillExceptionCode.GOODWILL_UNKNOWN_KIND:
    case GoodwillExceptionCode.GOODWILL_INVALID_OFFER:
    case GoodwillExceptionCode.GOODWILL_INVALID_SETTINGS:
      return 422;
    case GoodwillExceptionCode.GOODWILL_SELF_APPROVAL:
    case GoodwillExceptionCode.GOODWILL_ABOVE_OWN_LIMIT:
      return 403;
    case GoodwillExceptionCode.GOODWILL_ALREADY_DECIDED:
    case GoodwillExceptionCode.GOODWILL_APPEND_ONLY:
      return 409;
    case GoodwillExceptionCode.GOODWILL_VERSION_CONFLICT:
      return 412;
  }
}

const TITLES: Record<GoodwillExceptionCode, string> = {
  GOODWILL_UNKNOWN_KIND: 'Unknown kind of goodwill',
  GOODWILL_INVALID_OFFER: 'The offer is not valid',
  GOODWILL_INVALID_SETTINGS: 'The goodwill settings are not valid',
  GOODWILL_SELF_APPROVAL: 'Nobody may approve their own offer',
  GOODWILL_ABOVE_OWN_LIMIT: 'The offer is above your own limit',
  GOODWILL_ALREADY_DECIDED: 'The offer was already decided',
  GOODWILL_APPEND_ONLY: 'Goodwill entries cannot be changed',
  GOODWILL_VERSION_CONFLICT: 'The settings changed since you read them',
};

export class GoodwillException extends AppException {
  readonly status: number;

  constructor(code: GoodwillExceptionCode, detail?: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = statusOf(code);
  }
}
