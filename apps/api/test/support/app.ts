import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/create-app';
import { loadConfig } from '../../src/config/config';
import { seedDemo } from '../../src/database/demo-seed';
import { createTestDatabase, TestDatabase } from './database';

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Logs in and returns the `Authorization` header value. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real API on a fresh database, optionally with the demo tenant loaded. */
export async function createTestApp(options: { demo?: boolean; now?: Date; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  if (options.demo !== false) await seedDemo(db.ownerUrl, { now: options.now, cases: 40 });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.ownerUrl,
    APP_DATABASE_URL: db.appUrl,
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '5',
    ...options.env,
  });
  const app = await createApp(config);
  await app.init();
  const http = () => request(app.getHttpServer());
  return {
    app,
    db,
    http,
    async login(email, password = 'kept-demo') {
      const res = await http().post('/api/v1/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return `Bearer ${res.body.accessToken}`;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
