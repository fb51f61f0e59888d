import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** Seconds: from a few milliseconds (a request) to minutes (an alert fired late after an outage). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LATENESS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];
const BUILD_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type DeliveryOutcome = 'delivered' | 'retry' | 'gave_up';

/**
 * Kept's Prometheus metrics, one registry per process (per application in tests). No label carries
 * tenant data: routes are templates (`/api/v1/cases/:id`), never the ids in them. The names are listed
 * in docs/operations.md.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'kept_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly alertsFired = new Counter({
    name: 'kept_alerts_fired_total',
    help: 'Alerts fired by the workers, by kind and whether the policy muted them',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly alertLateness = new Histogram({
    name: 'kept_alert_lateness_seconds',
    help: 'How long after its due time an alert fired',
    labelNames: ['kind'] as const,
    buckets: LATENESS_BUCKETS,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'kept_deliveries_total',
    help: 'E-mail and webhook delivery attempts by channel and outcome (delivered, retry, gave_up)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly forecastBuild = new Histogram({
    name: 'kept_forecast_model_build_seconds',
    help: 'Time to build a tenant forecast model, by outcome (ok, failed)',
    labelNames: ['outcome'] as const,
    buckets: BUILD_BUCKETS,
    registers: [this.registry],
  });

  private readonly queueWaiting = new Gauge({ name: 'kept_job_queue_jobs', help: 'Jobs in the queue (due or scheduled, not yet given up)', registers: [this.registry] });
  private readonly queueDue = new Gauge({ name: 'kept_job_queue_due_jobs', help: 'Jobs whose run time has come', registers: [this.registry] });
  private readonly queueOldest = new Gauge({
    name: 'kept_job_queue_oldest_due_age_seconds',
    help: 'Age of the oldest due job that no worker has taken (0 when none): workers falling behind',
    registers: [this.registry],
  });
  private readonly scrapeErrors = new Counter({
    name: 'kept_metrics_queue_scrape_errors_total',
    help: 'Scrapes whose job-queue query failed (the queue gauges keep their last value)',
    registers: [this.registry],
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kept_' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text; the job-queue gauges are read now, with one query. */
  async render(): Promise<string> {
    try {
      const [row] = (await this.dataSource.query('SELECT waiting, due, oldest_due_seconds FROM kept_queue_stats()')) as {
        waiting: string;
        due: string;
        oldest_due_seconds: number;
      }[];
      this.queueWaiting.set(Number(row.waiting));
      this.queueDue.set(Number(row.due));
      this.queueOldest.set(Number(row.oldest_due_seconds));
    } catch {
      this.scrapeErrors.inc();
    }
    return this.registry.metrics();
  }

  /** An alert fired (or muted) at `firedAt`, due at `dueAt`. */
  alertFired(kind: string, outcome: 'fired' | 'muted', dueAt: Date | null, firedAt: Date): void {
    this.alertsFired.inc({ kind, outcome });
    if (dueAt) this.alertLateness.observe({ kind }, Math.max(0, (firedAt.getTime() - dueAt.getTime()) / 1000));
  }

  delivery(channel: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ channel, outcome });
  }

  /** Times `work` into the forecast build histogram. */
  async timeForecastBuild<T>(work: () => Promise<T>): Promise<T> {
    const end = this.forecastBuild.startTimer();
    try {
      const result = await work();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'failed' });
      throw err;
    }
  }

  /**
   * Express middleware: observes each response's latency under its route template (Express sets
   * `req.route` when a handler matched; everything else, e.g. the web app's files, is `unmatched`).
   */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const route = (req.route as { path?: unknown } | undefined)?.path;
        end({ method: req.method, route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
      });
      next();
    };
  }
}
