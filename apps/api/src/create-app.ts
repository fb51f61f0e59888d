import 'reflect-metadata';
import { join } from 'node:path';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { inputGuard } from './common/http/input-guard';
import { finishOpenApiDocument } from './common/http/openapi';
import { securityHeaders } from './common/http/security-headers';
import { serveWeb } from './common/web/serve-web';
import type { AppConfig } from './config/config';
import { Metrics } from './modules/metrics';

export const API_PREFIX = 'api/v1';

/** Builds the whole HTTP application (used by main.ts and by the e2e tests alike). */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // No enableShutdownHooks(): main.ts handles SIGTERM itself (drain, then close; see graceful-shutdown.ts).
  // Latency of every response by route template (first, so it times everything after it).
  app.use(app.get(Metrics).httpMiddleware());
  // X-Forwarded-For counts only from the configured proxies (TRUST_PROXY); otherwise the socket's address.
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  // Helmet's headers; HSTS and upgrade-insecure-requests only over TLS (see security-headers.ts).
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: true, limit: '1mb' });
  // NUL characters and deep nesting are refused before any handler runs (problem+json via the filter).
  app.use(inputGuard());
  // API answers carry tenant data or capability tokens: no shared or browser cache may keep them.
  app.use('/api/v1', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'api/docs', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });

  const openApi = new DocumentBuilder()
    .setTitle('Kept API')
    .setDescription('Service promises: the four times (required, expected, promised, satisfied) and their gaps.')
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .build();
  const document = finishOpenApiDocument(cleanupOpenApiDoc(SwaggerModule.createDocument(app, openApi)), { serverUrl: config.worker.publicUrl });
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });

  serveWeb(app, config.webDist ?? join(__dirname, '../../../../apps/web/dist'));
  return app;
}
