import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { RunningWorker, startWorker, workerOptionsOf } from './worker';

/**
 * Runs a job worker inside the API process when configured (the default for `npm start`); Nest's
 * shutdown hooks stop it gracefully, letting running jobs finish.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WorkerHost.name);
  private worker: RunningWorker | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.worker.inProcess) return;
    this.worker = await startWorker(workerOptionsOf(this.config));
    this.log.log(`in-process worker ${this.worker.poolId} started`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }
}
