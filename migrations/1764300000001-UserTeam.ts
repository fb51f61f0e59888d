import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams, the smallest real thing: a user (an engineer, in practice) may belong to one named team. The
 * board filters by the team of the engineer a case was last dispatched to, and analytics breaks the
 * keep-rate down by it. Admins set it through the users API.
 */
export class UserTeam1764300000001 implements MigrationInterface {
  name = 'UserTeam1764300000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN team text NULL CHECK (team IS NULL OR length(btrim(team)) BETWEEN 1 AND 100);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users DROP COLUMN IF EXISTS team;
    `);
  }
}
