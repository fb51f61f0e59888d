import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text search on the board (issue 13): open cases whose summary or customer name contains the text, or
 * whose reference is the one typed. `ILIKE '%text%'` can use a trigram GIN index (pg_trgm, a trusted
 * extension: the database owner may create it):
 *
 * - `cases_open_summary_trgm_idx` on the summaries of open cases only (status in the board's statuses, so
 *   closed history costs nothing, as with `cases_board_idx`);
 * - `customers_name_trgm_idx` on customer names (customers are few next to cases; a match's open cases
 *   are then found through `cases_open_customer_idx`);
 * - a reference (`K-1042`) is an exact number: the existing unique (tenant_id, number) index.
 *
 * At 60,000 open cases a search reads only the matching rows (bench/board/explain.txt).
 */
export class BoardSearch1764740000000 implements MigrationInterface {
  name = 'BoardSearch1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(
      `CREATE INDEX cases_open_summary_trgm_idx ON cases USING gin (summary gin_trgm_ops) WHERE status IN ('open','paused','fixed')`,
    );
    await q.query(`CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS customers_name_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_open_summary_trgm_idx`);
    // The extension stays: other objects may have come to use it.
  }
}
