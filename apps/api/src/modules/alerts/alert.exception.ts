import { AppException, FieldError } from '../../common/problem/app.exception';

/** Every way an alerts request can fail (inbox, preferences, policies, webhooks). */
export enum AlertExceptionCode {
  ALERT_NOT_FOUND = 'ALERT_NOT_FOUND',
  ALERT_NOT_FIRED = 'ALERT_NOT_FIRED',
  ALERTS_NOT_OF_CASE = 'ALERTS_NOT_OF_CASE',
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  SNOOZE_OUT_OF_RANGE = 'SNOOZE_OUT_OF_RANGE',
  INVALID_TIME_ZONE = 'INVALID_TIME_ZONE',
  INVALID_CURSOR = 'INVALID_CURSOR',
  ALERT_POLICY_NOT_FOUND = 'ALERT_POLICY_NOT_FOUND',
  WEBHOOK_ENDPOINT_NOT_FOUND = 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  /** The URL points at an internal address (SSRF guard), carries credentials or does not resolve. */
  WEBHOOK_URL_REFUSED = 'WEBHOOK_URL_REFUSED',
}

/** The HTTP status of each code; exhaustive, so a new code does not compile until it has one. */
export function alertStatus(code: AlertExceptionCode): number {
  switch (code) {
    case AlertExceptionCode.INVALID_CURSOR:
      return 400;
    case AlertExceptionCode.ALERT_NOT_FOUND:
    case AlertExceptionCode.CASE_NOT_FOUND:
    case AlertExceptionCode.ALERT_POLICY_NOT_FOUND:
    case AlertExceptionCode.WEBHOOK_ENDPOINT_NOT_FOUND:
    case AlertExceptionCode.WEBHOOK_DELIVERY_NOT_FOUND:
      return 404;
    case AlertExceptionCode.ALERT_NOT_FIRED:
    case AlertExceptionCode.WEBHOOK_ENDPOINT_DISABLED:
      return 409;
    case AlertExceptionCode.SNOOZE_OUT_OF_RANGE:
    case AlertExceptionCode.INVALID_TIME_ZONE:
    case AlertExceptionCode.WEBHOOK_URL_REFUSED:
    case AlertExceptionCode.ALERTS_NOT_OF_CASE:
      return 422;
  }
}

const TITLES: Record<AlertExceptionCode, string> = {
  ALERT_NOT_FOUND: 'Alert not found',
  ALERT_NOT_FIRED: 'The alert has not fired',
  ALERTS_NOT_OF_CASE: 'Some alerts do not belong to the case',
  CASE_NOT_FOUND: 'Case not found',
  SNOOZE_OUT_OF_RANGE: 'The snooze time is out of range',
  INVALID_TIME_ZONE: 'Unknown time zone',
  INVALID_CURSOR: 'The cursor is not valid',
  ALERT_POLICY_NOT_FOUND: 'Alert policy not found',
  WEBHOOK_ENDPOINT_NOT_FOUND: 'Webhook endpoint not found',
  WEBHOOK_DELIVERY_NOT_FOUND: 'Webhook delivery not found',
  WEBHOOK_ENDPOINT_DISABLED: 'The webhook endpoint is disabled',
  WEBHOOK_URL_REFUSED: 'The webhook URL is not allowed',
};

/**
 * A typed alerts error. The global problem filter renders every `AppException` as problem+json with
 * this status and code; the mapping lives here (not in common/) because common/ imports no module.
 */
export class AlertException extends AppException {
  readonly status: number;

  constructor(code: AlertExceptionCode, detail: string, errors?: FieldError[]) {
    super(code, TITLES[code], detail, errors);
    this.status = alertStatus(code);
  }
}
