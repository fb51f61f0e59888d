import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobRunner, RunningJobs } from './job-runner';

/** Whether this process runs jobs: always in `npm run worker`; in the API when `WORKER=in-process`. */
export const WORKER_AUTOSTART = Symbol('WORKER_AUTOSTART');

/**
 * Starts the job pool once the application (HTTP API or the worker's application context) is up, and
 * stops it first on shutdown (`onModuleDestroy` runs before the database connections close), letting
 * running jobs finish.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(WorkerHost.name);
  private jobs: RunningJobs | null = null;

  constructor(
    private readonly runner: JobRunner,
    @Inject(WORKER_AUTOSTART) private readonly autostart: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.autostart) return;
    this.jobs = await this.runner.start();
    this.log.log(`worker pool ${this.jobs.poolId} started`);
  }

  /** The running pool, or null when this process runs no jobs. */
  get running(): RunningJobs | null {
    return this.jobs;
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}
