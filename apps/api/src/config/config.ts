import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Connection of the owning role: runs migrations and demo data. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** Connection of the runtime role (subject to RLS). Derived from DATABASE_URL when unset. */
  APP_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//).optional(),
  APP_DATABASE_PASSWORD: z.string().min(1).default('kept_app'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
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
  /** Seconds between webhook attempts; default the Standard Webhooks schedule. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated seconds, e.g. 5,300,1800')
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
  webDist: string | null;
  logLevel: string;
  /** Bytes the cached forecast models of all tenants may take together. */
  forecastModelsMaxBytes: number;
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
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    ownerDatabaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.APP_DATABASE_URL ?? appDatabaseUrlFrom(e.DATABASE_URL, e.APP_DATABASE_PASSWORD),
    poolSize: e.DATABASE_POOL_SIZE,
    jwtSecret: e.JWT_SECRET ?? randomBytes(32).toString('hex'),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    webDist: e.WEB_DIST ?? null,
    logLevel: e.LOG_LEVEL,
    forecastModelsMaxBytes: e.FORECAST_MODELS_MAX_MB * 1024 * 1024,
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
      retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE ? e.WEBHOOK_RETRY_SCHEDULE.split(',').map(Number) : STANDARD_RETRY_SCHEDULE,
    },
  };
}
