import { AppException } from '../../common/problem/app.exception';

export enum StatusLinkExceptionCode {
  STATUS_LINK_NOT_FOUND = 'STATUS_LINK_NOT_FOUND',
  STATUS_LINK_RATE_LIMITED = 'STATUS_LINK_RATE_LIMITED',
}

function statusOf(code: StatusLinkExceptionCode): number {
  switch (code) {
    case StatusLinkExceptionCode.STATUS_LINK_NOT_FOUND:
      return 404;
    case StatusLinkExceptionCode.STATUS_LINK_RATE_LIMITED:
      return 429;
  }
}

const TITLES: Record<StatusLinkExceptionCode, string> = {
  STATUS_LINK_NOT_FOUND: 'This status link is not valid',
  STATUS_LINK_RATE_LIMITED: 'Too many requests',
};

export class StatusLinkException extends AppException {
  readonly status: number;

  constructor(code: StatusLinkExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}

/** Unknown, revoked and expired links get the same answer: the page must not tell them apart. */
export const statusLinkNotFound = () =>
  new StatusLinkException(
    StatusLinkExceptionCode.STATUS_LINK_NOT_FOUND,
    'The link is unknown, has expired or was withdrawn; ask your service contact for a new one',
  );
