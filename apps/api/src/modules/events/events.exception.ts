import { AppException } from '../../common/problem/app.exception';

export enum EventsExceptionCode {
  TOO_MANY_STREAMS = 'TOO_MANY_STREAMS',
}

function statusOf(code: EventsExceptionCode): number {
  switch (code) {
    case EventsExceptionCode.TOO_MANY_STREAMS:
      return 429;
  }
}

const TITLES: Record<EventsExceptionCode, string> = {
  TOO_MANY_STREAMS: 'Too many open event streams',
};

export class EventsException extends AppException {
  readonly status: number;

  constructor(code: EventsExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
