import { createHmac, randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Connection of the owning role: runs migrations and demo data. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** Connection of the runtime role (subject to RLS). Derived from DATABASE_URL when unset. */
  APP_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  /** The runtime role's password. Required in production (unless APP_DATABASE_URL carries it): no default there. */
  APP_DATABASE_PASSWORD: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** How long an unused refresh token (the web app's httpOnly cookie) stays valid; each use rotates it. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 86_400).default(14 * 86_400),
  /** Open `/events` streams one user may hold in one API process (429 beyond). */
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a one-time set-password link (new tenant, invitation) stays valid. */
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /**
   * Public sign-up of new organizations: `open` (anyone, with e-mail verification; needs SMTP_URL),
   * `invite` (no public sign-up: organizations by `kept tenant create`, users by invitation) or `off`.
   */
  SIGNUP: z.enum(['open', 'invite', 'off']).default('off'),
  WEB_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * `in-process`: the API also runs a job worker (default, except under NODE_ENV=test, where tests
   * start workers themselves); `off`: run workers with `npm run worker`.
   */
  WORKER: z.enum(['in-process', 'off']).optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  /** How often idle workers look for jobs that fall due (graphile-worker's default is 2000 ms). */
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  /** Jobs one pool fetches (and locks) at once; 0 or 1 = one at a time. */
  WORKER_LOCAL_QUEUE_SIZE: z.coerce.number().int().min(0).max(1000).optional(),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** A worker silent this long is presumed dead and its jobs are released to the others. */
  WORKER_STALE_AFTER_MS: z.coerce.number().int().min(1000).max(3_600_000).default(5000),
  /** e.g. smtp://localhost:2525; unset = e-mail deliveries are recorded as skipped. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Kept alerts <alerts@kept.local>'),
  /** Base URL of the web app, for links in e-mails. */
  PUBLIC_URL: z.url().optional(),
  /**
   * Memory the forecast models of all tenants may take together (MiB, by ForecastModel.approximateBytes):
   * beyond it the least recently used tenants' models are dropped and rebuilt when next asked for.
   */
  FORECAST_MODELS_MAX_MB: z.coerce.number().int().min(1).max(65_536).default(192),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Deliveries sent at once per webhook endpoint (and per tenant's e-mail), across all workers. */
  DELIVERY_CONCURRENCY_PER_ENDPOINT: z.coerce.number().int().min(1).max(100).default(4),
  /** Seconds between webhook attempts; default the Standard Webhooks schedule. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated seconds, e.g. 5,300,1800')
    .optional(),
  /**
   * Address ranges webhooks may reach although private/loopback/link-local (the SSRF guard refuses them
   * otherwise): comma-separated CIDRs such as `127.0.0.1/32,fd00::/8`, or `true` for every address.
   */
  /** Log-in attempts allowed per account and per client address in each window (then blocked for a window). */
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(10),
  LOGIN_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(100),
  LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * Which peers may set X-Forwarded-For (the client address used by rate limits): `false` (default: none,
   * the socket's address counts), or Express's comma list of addresses, CIDRs and `loopback`,
   * `linklocal`, `uniquelocal` — the reverse proxies in front of the API.
   */
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => v === 'false' || v.split(',').every((p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p.trim()) || ipaddr.isValid(p.trim()) || ipaddr.isValidCIDR(p.trim())),
      'false, or a comma list of proxy addresses/CIDRs and loopback, linklocal, uniquelocal',
    )
    .default('false'),
  /**
   * Bearer token for `GET /metrics` on the API's port; unset = /metrics answers 404 there (scrape the
   * METRICS_PORT listener instead). The metrics carry no tenant data, but they are not for the public.
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** A second listener serving only `/metrics`, without a token (bind it to the internal network). Worker too. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** On SIGTERM: how long in-flight requests and running jobs may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** How long a request waits for a database connection before it is answered 503 (PostgreSQL unreachable). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  WEBHOOK_ALLOW_PRIVATE: z
    .string()
    .refine((v) => v === 'true' || v === 'false' || v.split(',').every((c) => ipaddr.isValidCIDR(c.trim())), 'comma-separated CIDR ranges (e.g. 127.0.0.1/32), or true')
    .optional(),
});

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  ownerDatabaseUrl: string;
  appDatabaseUrl: string;
  poolSize: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** HMAC key of the live-event payloads on `kept_events` (derived from JWT_SECRET: every process shares it). */
  eventsKey: Buffer;
  eventStreamsPerUser: number;
  invitationTtlHours: number;
  signup: 'open' | 'invite' | 'off';
  webDist: string | null;
  logLevel: string;
  /** `WEBHOOK_ALLOW_PRIVATE` as given (parsed by the webhook egress guard); undefined = none. */
  webhookAllowPrivate?: string;
  loginThrottle: { perAccount: number; perClient: number; windowSeconds: number };
  /** Express `trust proxy`: false, or the proxies allowed to set X-Forwarded-For. */
  trustProxy: false | string[];
  /** Where the request log goes instead of stdout (tests read it; never set from the environment). */
  logStream?: NodeJS.WritableStream;
  /** Bytes the cached forecast models of all tenants may take together. */
  forecastModelsMaxBytes: number;
  /** Probes, metrics and shutdown (docs/operations.md). */
  ops: {
    metricsToken: string | null;
    metricsPort: number | null;
    shutdownTimeoutMs: number;
    connectTimeoutMs: number;
  };
  worker: {
    inProcess: boolean;
    concurrency: number;
    pollIntervalMs: number;
    localQueueSize: number;
    heartbeatMs: number;
    staleAfterMs: number;
    smtpUrl: string | null;
    mailFrom: string;
    publicUrl: string;
    webhookTimeoutMs: number;
    deliveryConcurrencyPerEndpoint: number;
    retryScheduleSeconds: number[];
  };
}

/** The Standard Webhooks retry schedule, in seconds after each failed attempt. */
const STANDARD_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Derives the runtime role's URL from the owner's: same server and database, role `kept_app`. */
export function appDatabaseUrlFrom(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = 'kept_app';
  url.password = password;
  return url.toString();
}

/** Reads and checks the environment once at boot; throws a readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (e.g. `SMTP_URL=` from a compose file) means unset.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required in production (at least 32 characters)');
  }
  if (e.NODE_ENV === 'production' && !e.APP_DATABASE_URL && !e.APP_DATABASE_PASSWORD) {
    throw new Error('Invalid configuration:\n  APP_DATABASE_PASSWORD: required in production (or APP_DATABASE_URL with the password)');
  }
  if (e.SIGNUP === 'open' && !e.SMTP_URL) {
    throw new Error('Invalid configuration:\n  SIGNUP: "open" needs SMTP_URL (sign-ups are verified by e-mail)');
  }
  const jwtSecret = e.JWT_SECRET ?? randomBytes(32).toString('hex');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    ownerDatabaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.APP_DATABASE_URL ?? appDatabaseUrlFrom(e.DATABASE_URL, e.APP_DATABASE_PASSWORD ?? 'kept_app'),
    poolSize: e.DATABASE_POOL_SIZE,
    jwtSecret,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    eventsKey: createHmac('sha256', jwtSecret).update('kept-events-v1').digest(),
    eventStreamsPerUser: e.EVENT_STREAMS_PER_USER,
    invitationTtlHours: e.INVITATION_TTL_HOURS,
    signup: e.SIGNUP,
    webDist: e.WEB_DIST ?? null,
    logLevel: e.LOG_LEVEL,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    trustProxy: e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY.split(',').map((p) => p.trim()),
    loginThrottle: { perAccount: e.LOGIN_LIMIT_PER_ACCOUNT, perClient: e.LOGIN_LIMIT_PER_CLIENT, windowSeconds: e.LOGIN_LIMIT_WINDOW_SECONDS },
    forecastModelsMaxBytes: e.FORECAST_MODELS_MAX_MB * 1024 * 1024,
    ops: {
      metricsToken: e.METRICS_TOKEN ?? null,
      metricsPort: e.METRICS_PORT ?? null,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    },
    worker: {
      inProcess: e.WORKER ? e.WORKER === 'in-process' : e.NODE_ENV !== 'test',
      concurrency: e.WORKER_CONCURRENCY,
      pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
      localQueueSize: e.WORKER_LOCAL_QUEUE_SIZE ?? e.WORKER_CONCURRENCY + 1,
      heartbeatMs: e.WORKER_HEARTBEAT_MS,
      staleAfterMs: e.WORKER_STALE_AFTER_MS,
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM,
      publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
      deliveryConcurrencyPerEndpoint: e.DELIVERY_CONCURRENCY_PER_ENDPOINT,
      retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE ? e.WEBHOOK_RETRY_SCHEDULE.split(',').map(Number) : STANDARD_RETRY_SCHEDULE,
    },
  };
}
