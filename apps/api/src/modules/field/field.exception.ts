import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_MAX_BYTES } from '@kept/contracts';
import { AppException, type FieldError } from '../../common/problem/app.exception';

export enum FieldExceptionCode {
  REPROMISE_REQUEST_NOT_FOUND = 'REPROMISE_REQUEST_NOT_FOUND',
  REPROMISE_REQUEST_ALREADY_OPEN = 'REPROMISE_REQUEST_ALREADY_OPEN',
  REPROMISE_REQUEST_DECIDED = 'REPROMISE_REQUEST_DECIDED',
  CASE_CLOSED = 'CASE_CLOSED',
  INVALID_PROPOSAL = 'INVALID_PROPOSAL',
  ATTACHMENT_NOT_FOUND = 'ATTACHMENT_NOT_FOUND',
  ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE',
  ATTACHMENT_UNSUPPORTED_TYPE = 'ATTACHMENT_UNSUPPORTED_TYPE',
  ATTACHMENT_EMPTY = 'ATTACHMENT_EMPTY',
}

function statusOf(code: FieldExceptionCode): number {
  switch (code) {
    case FieldExceptionCode.REPROMISE_REQUEST_NOT_FOUND:
    case FieldExceptionCode.ATTACHMENT_NOT_FOUND:
      return 404;
    case FieldExceptionCode.REPROMISE_REQUEST_ALREADY_OPEN:
    case FieldExceptionCode.REPROMISE_REQUEST_DECIDED:
    case FieldExceptionCode.CASE_CLOSED:
      return 409;
    case FieldExceptionCode.ATTACHMENT_TOO_LARGE:
      return 413;
    case FieldExceptionCode.ATTACHMENT_UNSUPPORTED_TYPE:
      return 415;
    case FieldExceptionCode.INVALID_PROPOSAL:
    case FieldExceptionCode.ATTACHMENT_EMPTY:
      return 422;
  }
}

const TITLES: Record<FieldExceptionCode, string> = {
  REPROMISE_REQUEST_NOT_FOUND: 'Re-promise request not found',
  REPROMISE_REQUEST_ALREADY_OPEN: 'A re-promise request is already open',
  REPROMISE_REQUEST_DECIDED: 'The re-promise request was already answered',
  CASE_CLOSED: 'The case is closed',
  INVALID_PROPOSAL: 'The proposed promise is not valid',
  ATTACHMENT_NOT_FOUND: 'Attachment not found',
  ATTACHMENT_TOO_LARGE: 'The file is too large',
  ATTACHMENT_UNSUPPORTED_TYPE: 'Unsupported file type',
  ATTACHMENT_EMPTY: 'The file is empty',
};

/** The engineer's requests and uploads from the field. */
export class FieldException extends AppException {
  readonly status: number;

  constructor(code: FieldExceptionCode, detail?: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = statusOf(code);
  }
}

export const attachmentTooLarge = () =>
  new FieldException(
    FieldExceptionCode.ATTACHMENT_TOO_LARGE,
    `A photo or PDF may be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB; take a smaller photo or split the PDF`,
  );

export const unsupportedType = (detail?: string) =>
  new FieldException(
    FieldExceptionCode.ATTACHMENT_UNSUPPORTED_TYPE,
    detail ?? `Send a photo or a PDF as the request body with its Content-Type: one of ${ATTACHMENT_CONTENT_TYPES.join(', ')}`,
  );
