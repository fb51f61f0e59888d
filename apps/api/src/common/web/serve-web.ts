import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Vite names every built chunk and stylesheet under assets/ by its content hash: a changed file is a new URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon) is revalidated on every load, so a deploy is seen at once. */
export const REVALIDATE = 'no-cache';

function isHashedAsset(filePath: string): boolean {
  return filePath.includes(`${sep}assets${sep}`);
}

/**
 * Serves the built web app (apps/web/dist) from the API's origin: the pre-compressed `.br`/`.gz` twins
 * that the Vite build writes (brotli first, then gzip, else the plain file) with `Content-Encoding` and
 * `Vary: Accept-Encoding`; hashed assets cached for a year as immutable, index.html and the rest with
 * `no-cache`; every other GET outside /api/ (and /metrics) gets index.html (the SPA's routes).
 *
 * @returns false (and serves nothing) when `webDist` holds no built index.html.
 */
export function serveWeb(app: { use(handler: RequestHandler): unknown }, webDist: string): boolean {
  const indexHtml = join(webDist, 'index.html');
  if (!existsSync(indexHtml)) return false;
  // The customer's status page is its own small page (status.html): none of the staff app loads there.
  const statusHtml = existsSync(join(webDist, 'status.html')) ? join(webDist, 'status.html') : indexHtml;
  app.use(
    expressStaticGzip(webDist, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        // Our own Cache-Control below; serve-static's would be "max-age=0".
        cacheControl: false,
        setHeaders: (res, filePath) => {
          res.setHeader('Cache-Control', isHashedAsset(filePath) ? IMMUTABLE : REVALIDATE);
        },
      },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    // `/metrics` is the API's (Prometheus), not a route of the SPA.
    if (req.method !== 'GET' || req.path.startsWith('/api/') || req.path === '/metrics') return next();
    // A missing hashed asset is a 404, never the SPA's page (a browser would cache HTML as a script).
    if (req.path.startsWith('/assets/')) return next();
    // The customer's status page carries its capability token in the path: never index or cache it.
    if (req.path.startsWith('/s/')) {
      res.set({ 'X-Robots-Tag': 'noindex, nofollow', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      res.sendFile(statusHtml, { cacheControl: false });
      return;
    }
    res.set('Cache-Control', REVALIDATE);
    res.sendFile(indexHtml, { cacheControl: false });
  });
  return true;
}
