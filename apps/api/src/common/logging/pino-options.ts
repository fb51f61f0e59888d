import { randomUUID } from 'node:crypto';
import type { Options } from 'pino-http';
import type { AppConfig } from '../../config/config';

/**
 * Every request-log field that can carry a credential or a capability token: the bearer token and API
 * key headers, cookies (sent and set), the event stream's `access_token` query parameter, and the
 * route parameters (the status page's token is a path segment; the request logger matches every route
 * as `{*path}`, so `params.path` is the whole path).
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.query.access_token',
  'req.query.token',
  'req.params',
];

/** The status page's token in a URL (`/api/v1/public/status/<token>`, `/s/<token>`). */
const STATUS_TOKEN_IN_URL = /\/(public\/status|s)\/[^/?#]+/g;

/** Removes tokens from a URL before it is logged. */
export const redactUrl = (url: string | undefined) =>
  url?.replace(/([?&](access_token|token)=)[^&#]*/g, '$1[Redacted]').replace(STATUS_TOKEN_IN_URL, '/$1/[Redacted]');

/** pino-http options of the API's request log (nestjs-pino). */
export function pinoHttpOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    redact: { paths: REDACTED_LOG_PATHS, censor: '[Redacted]' },
    serializers: {
      req: (req: { url?: string }) => ({ ...req, url: redactUrl(req.url) }),
    },
    // Probes and scrapes arrive every few seconds from the orchestrator and Prometheus: not logged.
    autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
  };
}

const QUIET_PATHS = new Set(['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/metrics']);
