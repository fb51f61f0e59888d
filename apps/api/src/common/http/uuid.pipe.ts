import { ParseUUIDPipe } from '@nestjs/common';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';

/** Path ids must be UUIDs: anything else is a 400 problem naming the parameter. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () =>
    new CommonException(CommonExceptionCode.VALIDATION_FAILED, 'The id in the path must be a UUID', [
      { path: 'id', message: 'must be a UUID' },
    ]),
});
