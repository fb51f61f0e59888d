import { AppException } from '../../common/problem/app.exception';

export enum AuthExceptionCode {
  SIGNUP_CLOSED = 'SIGNUP_CLOSED',
}

function statusOf(code: AuthExceptionCode): number {
  switch (code) {
    case AuthExceptionCode.SIGNUP_CLOSED:
      return 403;
  }
}

const TITLES: Record<AuthExceptionCode, string> = {
  SIGNUP_CLOSED: 'Sign-up is not open',
};

export class AuthException extends AppException {
  readonly status: number;

  constructor(code: AuthExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
