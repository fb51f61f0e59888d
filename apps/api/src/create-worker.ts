import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from './config/config';
import { WorkerHost } from './modules/alerts';
import { WorkerModule } from './worker.module';

/** A running standalone worker: its Nest application context and its job pool. */
export interface RunningWorker {
  app: INestApplicationContext;
  poolId: string;
  /** Sweeps once now (tests): releases the jobs of silent pools. */
  sweep(): Promise<string[]>;
  /** Stops taking jobs, lets the running ones finish, closes the connections (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts a job worker as a Nest application context (used by worker.ts and by the tests alike): the
 * same providers as the API's, so a job and a request run the same services on the same Clock.
 */
export async function startWorker(config: AppConfig): Promise<RunningWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: config.logLevel === 'silent' ? false : ['error', 'warn'],
    abortOnError: false,
  });
  const jobs = app.get(WorkerHost).running;
  if (!jobs) {
    await app.close();
    throw new Error('the worker did not start its job pool');
  }
  let stopping: Promise<void> | null = null;
  return {
    app,
    poolId: jobs.poolId,
    sweep: () => jobs.sweep(),
    stop: () => (stopping ??= app.close()),
  };
}
