import { AppException } from '../../common/problem/app.exception';

/** Every way a user-administration request can fail beyond the common ones. */
export enum UserExceptionCode {
  /** The change would leave the organization without an active admin. */
  LAST_ADMIN = 'LAST_ADMIN',
}

function statusOf(code: UserExceptionCode): number {
  switch (code) {
    case UserExceptionCode.LAST_ADMIN:
      return 409;
  }
}

const TITLES: Record<UserExceptionCode, string> = {
  LAST_ADMIN: 'The organization needs an active admin',
};

export class UserException extends AppException {
  readonly status: number;

  constructor(code: UserExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
