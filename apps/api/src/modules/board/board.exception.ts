import { AppException } from '../../common/problem/app.exception';

export enum BoardExceptionCode {
  INVALID_BOARD_CURSOR = 'INVALID_BOARD_CURSOR',
}

function statusOf(code: BoardExceptionCode): number {
  switch (code) {
    case BoardExceptionCode.INVALID_BOARD_CURSOR:
      return 400;
  }
}

const TITLES: Record<BoardExceptionCode, string> = {
  INVALID_BOARD_CURSOR: 'The cursor is not valid',
};

export class BoardException extends AppException {
  readonly status: number;

  constructor(code: BoardExceptionCode, detail?: string) {
    super(code, TITLES[code], detail);
    this.status = statusOf(code);
  }
}
