import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { EventHub } from './modules/events';
import { Readiness } from './modules/health';

export interface ShutdownOptions {
  /** The whole shutdown's budget: in-flight requests and running jobs get this long (SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  log: (message: string) => void;
  /** Extra listeners to close with the main one (the METRICS_PORT server). */
  extraServers?: Server[];
}

/**
 * The API's SIGTERM, in order: (1) readiness answers 503, so the balancer stops sending requests;
 * (2) the listener closes: no new connections, idle keep-alive ones are closed; (3) the live-event
 * streams get a final `shutdown` event and end (EventSource reconnects, to another process); (4) the
 * in-flight requests finish; (5) the application closes: an in-process job pool stops taking jobs and
 * waits for its running ones, then the database pools close. Steps 4–5 share `timeoutMs`: past it the
 * remaining connections are cut and the result is `false` (the caller exits non-zero); jobs that did not
 * finish stay locked by a silent pool and are released to the other workers by the heartbeat sweep.
 */
export async function shutdownApi(app: INestApplication, options: ShutdownOptions): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  app.get(Readiness).startDraining();
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  for (const extra of options.extraServers ?? []) extra.close();
  const streams = app.get(EventHub).closeAll();
  if (streams) options.log(`closed ${streams} event stream(s)`);
  const drained = await within(closed, deadline - Date.now());
  if (!drained) {
    options.log('requests still running at the shutdown deadline: closing their connections');
    server.closeAllConnections();
  }
  const stopped = await within(app.close(), Math.max(0, deadline - Date.now()));
  if (!stopped) options.log('jobs still running at the shutdown deadline: the heartbeat sweep will release them');
  return drained && stopped;
}

/** The worker's SIGTERM: stop taking jobs, let running ones finish within `timeoutMs`, close the pools. */
export async function shutdownWorker(stop: () => Promise<void>, options: ShutdownOptions): Promise<boolean> {
  for (const extra of options.extraServers ?? []) extra.close();
  const stopped = await within(stop(), options.timeoutMs);
  if (!stopped) options.log('jobs still running at the shutdown deadline: the heartbeat sweep will release them');
  return stopped;
}

/** Whether `work` settled within `ms` (a rejection counts as settled: the process is leaving anyway). */
function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
