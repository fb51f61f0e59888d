import { Injectable } from '@nestjs/common';
import { sendAfterQuietHours } from '@kept/domain';
import { Clock } from '../../../common/clock';
import { TenantContext } from '../../../common/database/tenant-context';
import { JobsRepository } from './jobs.repository';
import { OwnerPool } from './owner-pool';

const HOUR_MS = 3_600_000;

/** The hourly low-severity digest (the `send_digests` cron job). */
@Injectable()
export class DigestService {
  constructor(
    private readonly owner: OwnerPool,
    private readonly tenant: TenantContext,
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * For every user who chose it, one e-mail with all low-severity alerts of the full hour before `now`
   * (default: the clock's). `email_digests` is unique per user and hour, so a second worker (or a
   * re-run) adds nothing. The e-mails go out at once (after quiet hours). Returns the digests queued.
   */
  async sendDigests(now = this.clock.now()): Promise<number> {
    const periodStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
    const { rows: tenants } = await this.owner.pool.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM notification_preferences WHERE digest_low_severity AND email_enabled`,
    );
    let queued = 0;
    for (const { tenant_id: tenantId } of tenants) {
      queued += await this.tenant.run(tenantId, async () => {
        let n = 0;
        for (const u of await this.jobs.digestUsers(tenantId)) {
          const alerts = await this.jobs.lowAlertsOfHour(tenantId, u.role, periodStart);
          if (!alerts.length) continue;
          const digestId = await this.jobs.insertDigest(tenantId, u.id, periodStart, alerts.map((a) => a.id));
          if (!digestId) continue;
          await this.jobs.queueDigestEmail(tenantId, digestId, u, sendAfterQuietHours(this.clock.now(), u.quiet_hours));
          n += 1;
        }
        return n;
      });
    }
    return queued;
  }
}
