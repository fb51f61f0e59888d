import { AppException } from '../../common/problem/app.exception';

export enum AuthExceptionCode {
  SIGNUP_CLOSED = 'SIGNUP_CLOSED',
  /** The e-mail and password fit accounts in several organizations: log-in must name one. */
  ORGANIZATION_REQUIRED = 'ORGANIZATION_REQUIRED',
}

function statusOf(code: AuthExceptionCode): number {
  switch (code) {
    case AuthExceptionCode.SIGNUP_CLOSED:
      return 403;
    case AuthExceptionCode.ORGANIZATION_REQUIRED:
      return 409;
  }
}

const TITLES: Record<AuthExceptionCode, string> = {
  SIGNUP_CLOSED: 'Sign-up is not open',
  ORGANIZATION_REQUIRED: 'Name the organization to log in to',
};

export class AuthException extends AppException {
  readonly status: number;

  constructor(code: AuthExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
