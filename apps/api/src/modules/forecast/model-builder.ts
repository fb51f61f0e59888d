import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { reviveBuiltModel, type BuiltModel } from './model-build';
import { joinModel, reviveSegments } from '@kept/forecast';
import type { ModelBuildJob, ModelBuildMessage } from './model-build.worker';

/**
 * Under Jest (TypeScript sources, no build) the worker compiles its own modules with SWC, as the test
 * transform does, and resolves the workspace libraries from source; the built API runs the .js file.
 */
const TS_WORKER_LOADER = `
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { workerData } = require('node:worker_threads');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@kept\\/([a-z-]+)$/.exec(request);
  return lib ? path.join(workerData.root, 'libs', lib[1], 'src/index.ts') : resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(workerData.entry);
`;

/**
 * Builds tenants' forecast models in worker threads: one short-lived worker per build, one build at a
 * time (a build takes a core and a big tenant's ≈100 MiB while it runs; after a restart every tenant
 * asks at once, and the API must keep a core and its memory bound).
 */
@Injectable()
export class ForecastModelBuilder {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Builds the tenant's model as of `now` once the builds queued before it are done. */
  build(tenantId: string, now: Date): Promise<BuiltModel> {
    const job = this.queue.then(() => this.buildNow(tenantId, now));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private buildNow(tenantId: string, now: Date): Promise<BuiltModel> {
    const job: ModelBuildJob = { databaseUrl: this.config.appDatabaseUrl, tenantId, nowMs: now.getTime() };
    const ts = __filename.endsWith('.ts');
    const entry = path.join(__dirname, `model-build.worker${ts ? '.ts' : '.js'}`);
    const worker = ts
      ? new Worker(TS_WORKER_LOADER, { eval: true, workerData: { ...job, entry, root: path.resolve(__dirname, '../../../../..') } })
      : new Worker(entry, { workerData: job });
    return new Promise<BuiltModel>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        void worker.terminate();
      };
      let head: { built: BuiltModel; segments: number } | null = null;
      const segments: unknown[] = [];
      worker.on('message', (msg: ModelBuildMessage) => {
        if (msg.kind === 'failed') return settle(() => reject(new Error(`forecast model build failed: ${msg.error}`)));
        if (msg.kind === 'head') head = { built: msg.built, segments: msg.segments };
        else {
          reviveSegments(msg.segments);
          for (const s of msg.segments) segments.push(s);
        }
        if (!head) return;
        if (segments.length < head.segments) {
          // Ask for the next slice: other work (requests, /health) runs before it arrives.
          worker.postMessage('next');
          return;
        }
        const { built } = head;
        settle(() => resolve(reviveBuiltModel({ ...built, model: joinModel(built.model, segments) })));
      });
      worker.once('error', (err) => settle(() => reject(err)));
      worker.once('exit', (code) => settle(() => reject(new Error(`forecast model worker exited with code ${code}`))));
    });
  }
}
