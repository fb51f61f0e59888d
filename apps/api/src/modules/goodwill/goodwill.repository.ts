import { Injectable } from '@nestjs/common';
import type { GoodwillSettings } from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';
import { sqlOfManager } from '../../common/database/sql';
import type { BudgetRow, OfferRow, OptionsRow, SettingsRow } from './goodwill.mapper';

const OFFER_SELECT = `
  SELECT o.*, ou.name AS offered_by_name, du.name AS decided_by_name,
         (SELECT json_agg(json_build_object('event', e.event, 'by', e.by_user, 'by_name', eu.name, 'at', e.at, 'note', e.note) ORDER BY e.id)
            FROM goodwill_events e LEFT JOIN users eu ON eu.id = e.by_user WHERE e.offer_id = o.id) AS events
    FROM goodwill_offers o
    LEFT JOIN users ou ON ou.id = o.offered_by
    LEFT JOIN users du ON du.id = o.decided_by`;

export interface CaseForGoodwill {
  id: string;
  status: string;
  team: string | null;
  stress_level: number | null;
  promised_at: Date | null;
  required_at: Date | null;
  satisfied_at: Date | null;
}

export interface NewOffer {
  caseId: string;
  kind: string;
  money: boolean;
  valueMinor: number;
  currency: string;
  team: string | null;
  reason: string;
  gapTarget: 'promised' | 'required' | null;
  gapMinutes: number | null;
  stressLevel: number | null;
  offeredBy: string | null;
  offeredAt: Date;
  state: 'given' | 'approval_requested';
  because: string | null;
}

/** Data access for goodwill: settings, budgets, the offer ledger and options; tenant-scoped by the request's transaction. */
@Injectable()
export class GoodwillRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async settings(lock = false): Promise<SettingsRow | null> {
    const [row] = await this.sql<SettingsRow>(
      `SELECT currency, limits, ladder::text[] AS ladder, kinds, options, version FROM goodwill_settings ${lock ? 'FOR UPDATE' : ''}`,
    );
    return row ?? null;
  }

  async upsertSettings(s: GoodwillSettings): Promise<SettingsRow> {
    const [row] = await this.sql<SettingsRow>(
      `INSERT INTO goodwill_settings (tenant_id, currency, limits, ladder, kinds, options)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id) DO UPDATE SET currency = EXCLUDED.currency, limits = EXCLUDED.limits, ladder = EXCLUDED.ladder,
         kinds = EXCLUDED.kinds, options = EXCLUDED.options, version = goodwill_settings.version + 1, updated_at = now()
       RETURNING currency, limits, ladder::text[] AS ladder, kinds, options, version`,
      [this.tenant.tenantId, s.currency, JSON.stringify(s.limits), s.ladder, JSON.stringify(s.kinds), s.options],
    );
    return row;
  }

  async caseOf(caseId: string, lock = false): Promise<CaseForGoodwill | null> {
    const [row] = await this.sql<CaseForGoodwill>(
      `SELECT id, status, team, stress_level, promised_at, required_at, satisfied_at FROM cases WHERE id = $1 ${lock ? 'FOR NO KEY UPDATE' : ''}`,
      [caseId],
    );
    return row ?? null;
  }

  async teamOfUser(userId: string): Promise<string | null> {
    const [row] = await this.sql<{ team: string | null }>(`SELECT team FROM users WHERE id = $1`, [userId]);
    return row?.team ?? null;
  }

  /** What was given (or is awaiting approval) on a case by one person, in one currency. */
  async givenOnCase(caseId: string, currency: string, by?: string | null): Promise<number> {
    const [row] = await this.sql<{ n: string }>(
      `SELECT coalesce(sum(value_minor), 0) AS n FROM goodwill_offers
        WHERE case_id = $1 AND currency = $2 AND state = 'given' AND ($3::uuid IS NULL OR offered_by = $3)`,
      [caseId, currency, by ?? null],
    );
    return Number(row.n);
  }

  /** The team's budget of the month, locked so that two offers cannot both spend its last euro. */
  async budgetForUpdate(team: string, month: string): Promise<{ amount_minor: string; currency: string } | null> {
    const [row] = await this.sql<{ amount_minor: string; currency: string }>(
      `SELECT amount_minor, currency FROM goodwill_budgets WHERE team = $1 AND month = $2::date FOR UPDATE`,
      [team, month],
    );
    return row ?? null;
  }

  async spentOfTeam(team: string, month: string, currency: string): Promise<number> {
    const [row] = await this.sql<{ n: string }>(
      `SELECT coalesce(sum(value_minor), 0) AS n FROM goodwill_offers
        WHERE team = $1 AND state = 'given' AND currency = $3
          AND offered_at >= $2::date AND offered_at < ($2::date + interval '1 month')`,
      [team, month, currency],
    );
    return Number(row.n);
  }

  async upsertBudget(b: { team: string; month: string; amountMinor: number; currency: string }): Promise<void> {
    await this.sql(
      `INSERT INTO goodwill_budgets (tenant_id, team, month, amount_minor, currency) VALUES ($1, $2, $3::date, $4, $5)
       ON CONFLICT (tenant_id, team, month) DO UPDATE SET amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency, updated_at = now()`,
      [this.tenant.tenantId, b.team, b.month, b.amountMinor, b.currency],
    );
  }

  budgets(month: string): Promise<BudgetRow[]> {
    return this.sql<BudgetRow>(
      `SELECT b.team, to_char(b.month, 'YYYY-MM') AS month, b.amount_minor, b.currency,
              coalesce((SELECT sum(o.value_minor) FROM goodwill_offers o
                         WHERE o.team = b.team AND o.state = 'given' AND o.currency = b.currency
                           AND o.offered_at >= b.month AND o.offered_at < b.month + interval '1 month'), 0) AS spent_minor
         FROM goodwill_budgets b WHERE b.month = $1::date ORDER BY b.team`,
      [month],
    );
  }

  async insertOffer(o: NewOffer): Promise<string> {
    const [row] = await this.sql<{ id: string }>(
      `INSERT INTO goodwill_offers (tenant_id, case_id, kind, money, value_minor, currency, team, reason, gap_target, gap_minutes,
         stress_level, offered_by, offered_at, state, needs_approval_because)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [
        this.tenant.tenantId, o.caseId, o.kind, o.money, o.valueMinor, o.currency, o.team, o.reason, o.gapTarget, o.gapMinutes,
        o.stressLevel, o.offeredBy, o.offeredAt, o.state, o.because,
      ],
    );
    return row.id;
  }

  async appendEvent(offerId: string, event: string, by: string | null, at: Date, note: string | null = null): Promise<void> {
    await this.sql(`INSERT INTO goodwill_events (tenant_id, offer_id, event, by_user, at, note) VALUES ($1, $2, $3, $4, $5, $6)`, [
      this.tenant.tenantId, offerId, event, by, at, note,
    ]);
  }

  async offer(id: string): Promise<OfferRow | null> {
    const [row] = await this.sql<OfferRow>(`${OFFER_SELECT} WHERE o.id = $1`, [id]);
    return row ?? null;
  }

  offersOfCase(caseId: string): Promise<OfferRow[]> {
    return this.sql<OfferRow>(`${OFFER_SELECT} WHERE o.case_id = $1 ORDER BY o.offered_at, o.id`, [caseId]);
  }

  pendingOffers(): Promise<OfferRow[]> {
    return this.sql<OfferRow>(`${OFFER_SELECT} WHERE o.state = 'approval_requested' ORDER BY o.offered_at, o.id LIMIT 200`);
  }

  /**
   * Decides a pending offer: a conditional UPDATE, so of two approvers deciding at once exactly one finds the
   * offer still pending and wins; the other gets nothing back.
   */
  async decide(id: string, state: 'given' | 'denied', by: string, at: Date): Promise<boolean> {
    const rows = await this.sql<{ id: string }>(
      `UPDATE goodwill_offers SET state = $2, decided_by = $3, decided_at = $4
        WHERE id = $1 AND state = 'approval_requested' RETURNING id`,
      [id, state, by, at],
    );
    return rows.length === 1;
  }

  async respond(id: string, response: 'accepted' | 'declined', at: Date): Promise<boolean> {
    const rows = await this.sql<{ id: string }>(
      `UPDATE goodwill_offers SET customer_response = $2, responded_at = $3
        WHERE id = $1 AND customer_response IS NULL AND state <> 'denied' RETURNING id`,
      [id, response, at],
    );
    return rows.length === 1;
  }

  async userLimitRole(userId: string): Promise<string | null> {
    const [row] = await this.sql<{ role: string }>(`SELECT role FROM users WHERE id = $1 AND active`, [userId]);
    return row?.role ?? null;
  }

  async insertOptions(o: { caseId: string; offered: string[]; chosen: string | null; note: string | null; by: string | null; at: Date }): Promise<OptionsRow> {
    const [row] = await this.sql<OptionsRow>(
      `INSERT INTO case_options (tenant_id, case_id, offered, chosen, note, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [this.tenant.tenantId, o.caseId, o.offered, o.chosen, o.note, o.by, o.at],
    );
    return row;
  }

  optionsOfCase(caseId: string): Promise<OptionsRow[]> {
    return this.sql<OptionsRow>(`SELECT * FROM case_options WHERE case_id = $1 ORDER BY recorded_at, id`, [caseId]);
  }

  /** Options taken: per option, how often offered and chosen, and how the cases that chose it ended. */
  optionStats(): Promise<{ option: string; offered: string; chosen: string; closed: string; kept: string }[]> {
    return this.sql(
      `WITH latest AS (SELECT DISTINCT ON (case_id) case_id, offered, chosen FROM case_options ORDER BY case_id, recorded_at DESC, id DESC),
            each AS (SELECT l.case_id, x.option, l.chosen = x.option AS chosen FROM latest l, unnest(l.offered) AS x(option))
       SELECT e.option, count(*) AS offered, count(*) FILTER (WHERE e.chosen) AS chosen,
              count(*) FILTER (WHERE e.chosen AND c.status = 'satisfied') AS closed,
              count(*) FILTER (WHERE e.chosen AND c.status = 'satisfied' AND c.satisfied_at <= coalesce(c.promised_at, c.satisfied_at)) AS kept
         FROM each e JOIN cases c ON c.id = e.case_id
        GROUP BY e.option ORDER BY count(*) FILTER (WHERE e.chosen) DESC, e.option`,
    );
  }

  goodwillByStress(currency: string): Promise<{ stress_level: number | null; offers: string; given_minor: string }[]> {
    return this.sql(
      `SELECT stress_level, count(*) AS offers, coalesce(sum(value_minor) FILTER (WHERE state = 'given'), 0) AS given_minor
         FROM goodwill_offers WHERE currency = $1 GROUP BY stress_level ORDER BY stress_level NULLS FIRST`,
      [currency],
    );
  }

  /**
   * CSAT answers grouped by what happened to the case: goodwill given, missed without goodwill, kept without it.
   * A case counts as missed when it was satisfied (or, still open, answered) after its promise or its need.
   */
  csatByGoodwill(): Promise<{ grp: 'goodwill' | 'missed_without' | 'kept_without'; responses: string; average: number }[]> {
    return this.sql(
      `WITH gw AS (SELECT DISTINCT case_id FROM goodwill_offers WHERE state = 'given')
       SELECT CASE WHEN gw.case_id IS NOT NULL THEN 'goodwill'
                   WHEN coalesce(c.satisfied_at, s.answered_at) > c.promised_at
                     OR coalesce(c.satisfied_at, s.answered_at) > c.required_at THEN 'missed_without'
                   ELSE 'kept_without' END AS grp,
              count(*) AS responses, round(avg(s.csat), 2)::float8 AS average
         FROM case_surveys s JOIN cases c ON c.id = s.case_id LEFT JOIN gw ON gw.case_id = s.case_id
        GROUP BY 1`,
    );
  }
}
