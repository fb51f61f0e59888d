import { AppException } from '../../common/problem/app.exception';

export enum StatusLinkExceptionCode {
  STATUS_LINK_NOT_FOUND = 'STATUS_LINK_NOT_FOUND',
  STATUS_LINK_RATE_LIMITED = 'STATUS_LINK_RATE_LIMITED',
  /** The action does not apply in the case's (or the proposal's, or the survey's) current state. */
  STATUS_ACTION_CONFLICT = 'STATUS_ACTION_CONFLICT',
  PROPOSAL_NOT_FOUND = 'PROPOSAL_NOT_FOUND',
}

function statusOf(code: StatusLinkExceptionCode): number {
  switch (code) {
    case StatusLinkExceptionCode.STATUS_LINK_NOT_FOUND:
      return 404;
    case StatusLinkExceptionCode.STATUS_LINK_RATE_LIMITED:
      return 429;
    case StatusLinkExceptionCode.STATUS_ACTION_CONFLICT:
      return 409;
    case StatusLinkExceptionCode.PROPOSAL_NOT_FOUND:
      return 404;
  }
}

const TITLES: Record<StatusLinkExceptionCode, string> = {
  STATUS_LINK_NOT_FOUND: 'This status link is not valid',
  STATUS_LINK_RATE_LIMITED: 'Too many requests',
  STATUS_ACTION_CONFLICT: 'This cannot be done at this stage of the case',
  PROPOSAL_NOT_FOUND: 'There is no such proposal on this case',
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

export const actionConflict = (detail: string) => new StatusLinkException(StatusLinkExceptionCode.STATUS_ACTION_CONFLICT, detail);
