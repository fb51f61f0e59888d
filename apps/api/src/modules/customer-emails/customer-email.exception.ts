import { AppException } from '../../common/problem/app.exception';

export enum CustomerEmailExceptionCode {
  UNSUBSCRIBE_RATE_LIMITED = 'UNSUBSCRIBE_RATE_LIMITED',
}

function statusOf(code: CustomerEmailExceptionCode): number {
  switch (code) {
    case CustomerEmailExceptionCode.UNSUBSCRIBE_RATE_LIMITED:
      return 429;
  }
}

const TITLES: Record<CustomerEmailExceptionCode, string> = {
  UNSUBSCRIBE_RATE_LIMITED: 'Too many requests',
};

export class CustomerEmailException extends AppException {
  readonly status: number;

  constructor(code: CustomerEmailExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
