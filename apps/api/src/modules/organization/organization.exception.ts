import { AppException, type FieldError } from '../../common/problem/app.exception';

export enum OrganizationExceptionCode {
  /** The accent colour fails WCAG AA (4.5 : 1) against white text. */
  ACCENT_CONTRAST_TOO_LOW = 'ACCENT_CONTRAST_TOO_LOW',
  LOGO_TOO_LARGE = 'LOGO_TOO_LARGE',
  LOGO_UNSUPPORTED_TYPE = 'LOGO_UNSUPPORTED_TYPE',
  LOGO_NOT_FOUND = 'LOGO_NOT_FOUND',
}

function statusOf(code: OrganizationExceptionCode): number {
  switch (code) {
    case OrganizationExceptionCode.ACCENT_CONTRAST_TOO_LOW:
      return 422;
    case OrganizationExceptionCode.LOGO_TOO_LARGE:
      return 413;
    case OrganizationExceptionCode.LOGO_UNSUPPORTED_TYPE:
      return 415;
    case OrganizationExceptionCode.LOGO_NOT_FOUND:
      return 404;
  }
}

const TITLES: Record<OrganizationExceptionCode, string> = {
  ACCENT_CONTRAST_TOO_LOW: 'The accent colour is not readable enough',
  LOGO_TOO_LARGE: 'The logo is too large',
  LOGO_UNSUPPORTED_TYPE: 'Unsupported logo type',
  LOGO_NOT_FOUND: 'There is no logo',
};

export class OrganizationException extends AppException {
  readonly status: number;

  constructor(code: OrganizationExceptionCode, detail?: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = statusOf(code);
  }
}
