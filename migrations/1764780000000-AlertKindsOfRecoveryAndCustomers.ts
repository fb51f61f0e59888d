import { MigrationInterface, QueryRunner } from 'typeorm';

const BASE = `'fraction','lead','at_risk','breach','repeat','escalation'`;

/**
 * 1764760000000-CreateFieldRequests (alert kind `request`), 1764765000000-CustomerStatusActions (`customer`)
 * and 1764770000000-CreateGoodwillAndRootCauses (`goodwill_approval`, `root_cause`, `action_overdue`) were
 * written in parallel, and each redefines `alerts_kind_check`: the later ones dropped the earlier kinds. This
 * sets the one list that holds all of them.
 */
export class AlertKindsOfRecoveryAndCustomers1764780000000 implements MigrationInterface {
  name = 'AlertKindsOfRecoveryAndCustomers1764780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN (${BASE},'goodwill_approval','root_cause','action_overdue','customer','request'));`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to the list of 1764770000000 (its own down, and 1764765000000's, take the rest away).
    await q.query(`
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN (${BASE},'goodwill_approval','root_cause','action_overdue'));`);
  }
}
