import { ForecastService } from '../../src/modules/forecast';
import type { TestApp } from './app';
import { sql } from './sql';

/**
 * Waits until the tenant's forecast model (built in a worker thread, off the request path) is ready and
 * includes every change made so far, so that a test asserting model figures never races the build.
 */
export async function forecastReady(t: TestApp, slug = 'demo'): Promise<void> {
  const [org] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM organizations WHERE slug = $1`, [slug]);
  await t.app.get(ForecastService).ready(org.id);
}
