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
}

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
  const parsed = envSchema.safeParse(env);
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
  };
}
