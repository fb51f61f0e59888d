import { AppException, FieldError } from '../../common/problem/app.exception';

export enum ForecastExceptionCode {
  FORECAST_REFERENCE_NOT_FOUND = 'FORECAST_REFERENCE_NOT_FOUND',
  FORECAST_INVALID_TIMES = 'FORECAST_INVALID_TIMES',
}

function forecastStatus(code: ForecastExceptionCode): number {
  switch (code) {
    case ForecastExceptionCode.FORECAST_REFERENCE_NOT_FOUND:
    case ForecastExceptionCode.FORECAST_INVALID_TIMES:
      return 422;
  }
}

const TITLES: Record<ForecastExceptionCode, string> = {
  FORECAST_REFERENCE_NOT_FOUND: 'The request refers to something that does not exist',
  FORECAST_INVALID_TIMES: 'The times are inconsistent',
};

export class ForecastException extends AppException {
  readonly status: number;

  constructor(code: ForecastExceptionCode, detail: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = forecastStatus(code);
  }
}
