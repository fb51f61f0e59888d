import { AppException, FieldError } from '../../common/problem/app.exception';

export enum ImportExceptionCode {
  IMPORT_UNSUPPORTED_MEDIA_TYPE = 'IMPORT_UNSUPPORTED_MEDIA_TYPE',
  IMPORT_INVALID_MAPPING = 'IMPORT_INVALID_MAPPING',
  IMPORT_INVALID_FILE = 'IMPORT_INVALID_FILE',
  IMPORT_REJECTED = 'IMPORT_REJECTED',
}

function importStatus(code: ImportExceptionCode): number {
  switch (code) {
    case ImportExceptionCode.IMPORT_INVALID_MAPPING:
      return 400;
    case ImportExceptionCode.IMPORT_UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ImportExceptionCode.IMPORT_INVALID_FILE:
    case ImportExceptionCode.IMPORT_REJECTED:
      return 422;
  }
}

const TITLES: Record<ImportExceptionCode, string> = {
  IMPORT_UNSUPPORTED_MEDIA_TYPE: 'Send the file as text/csv',
  IMPORT_INVALID_MAPPING: 'The column mapping is invalid',
  IMPORT_INVALID_FILE: 'The file cannot be imported',
  IMPORT_REJECTED: 'The file was rejected: nothing was imported',
};

export class ImportException extends AppException {
  readonly status: number;

  constructor(code: ImportExceptionCode, detail: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = importStatus(code);
  }
}
