import { Injectable } from '@nestjs/common';
import type { ListCasesQuery } from '@kept/contracts';
import { Brackets, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { preparedSqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { CalendarEntity } from '../calendars';
import { ContractEntity } from '../contracts';
import { CustomerEntity, SiteEntity } from '../customers';
import type { Role } from '@kept/contracts';
import { CaseEntity, CasePromiseEntity, LedgerEntryEntity, MilestoneEntity, PauseEntity } from './case.entity';

export interface ListCursor {
  openedAt: Date;
  id: string;
}

/** Everything needed to show cases: the rows plus their customers, sites, calendars and pauses. */
export interface CaseBundle {
  cases: CaseEntity[];
  customers: Map<string, CustomerEntity>;
  sites: Map<string, SiteEntity>;
  contracts: Map<string, ContractEntity>;
  calendars: Map<string, CalendarEntity>;
  pauses: Map<string, PauseEntity[]>;
  /** Names of the cases' assignees, by user id. */
  assignees: Map<string, AssigneeRow>;
}

/** A user a case can be (or is) assigned to. */
export interface AssigneeRow {
  id: string;
  name: string;
  team: string | null;
  role: Role;
  active: boolean;
}

const TIMESTAMP_TYPES = new Set<unknown>(['timestamptz', 'timestamp with time zone', 'timestamp', 'timestamp without time zone', Date]);

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

/** One case with everything its detail shows (see {@link CaseRepository.detail}). */
export interface CaseDetailRows {
  case: CaseEntity;
  bundle: CaseBundle;
  history: Awaited<ReturnType<CaseRepository['history']>>;
}

interface DetailRow {
  case: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  site: Record<string, unknown> | null;
  contract: Record<string, unknown> | null;
  calendar: Record<string, unknown> | null;
  assignee: AssigneeRow | null;
  pauses: Record<string, unknown>[];
  ledger: Record<string, unknown>[];
  milestones: Record<string, unknown>[];
  promises: Record<string, unknown>[];
  ledger_users: Record<string, string>;
}

/**
 * The case and all it shows, as JSON, in one round trip (the detail read used to take ten: the case,
 * customers, sites, contracts, pauses, assignees, calendars, ledger, milestones, promises, users).
 * Same role, same transaction, so row-level security filters every part as before. Ledger ids are
 * bigint: as text, as TypeORM reads them.
 */
const DETAIL_SQL = `
  SELECT to_jsonb(c) AS case,
         (SELECT to_jsonb(x) FROM customers x WHERE x.id = c.customer_id) AS customer,
         (SELECT to_jsonb(x) FROM sites x WHERE x.id = c.site_id) AS site,
         (SELECT to_jsonb(x) FROM contracts x WHERE x.id = c.contract_id) AS contract,
         (SELECT to_jsonb(cal) FROM contracts k JOIN calendars cal ON cal.id = k.calendar_id WHERE k.id = c.contract_id) AS calendar,
         (SELECT jsonb_build_object('id', u.id, 'name', u.name, 'team', u.team, 'role', u.role, 'active', u.active)
            FROM users u WHERE u.id = c.assignee_id) AS assignee,
         (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.started_at), '[]') FROM case_pauses p WHERE p.case_id = c.id) AS pauses,
         (SELECT coalesce(jsonb_agg(to_jsonb(l) || jsonb_build_object('id', l.id::text) ORDER BY l.id), '[]')
            FROM case_ledger l WHERE l.case_id = c.id) AS ledger,
         (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.at, m.created_at), '[]') FROM case_milestones m WHERE m.case_id = c.id) AS milestones,
         (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.version), '[]') FROM case_promises v WHERE v.case_id = c.id) AS promises,
         (SELECT coalesce(jsonb_object_agg(u.id, u.name), '{}') FROM users u
           WHERE u.id::text IN (SELECT l.old_value FROM case_ledger l WHERE l.case_id = c.id AND l.field = 'assignee'
                                UNION SELECT l.new_value FROM case_ledger l WHERE l.case_id = c.id AND l.field = 'assignee')) AS ledger_users
    FROM cases c
   WHERE c.id = $1`;

@Injectable()
export class CaseRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get em() {
    return this.tenant.manager;
  }

  /** The statements every read or create of a case runs: prepared once per connection (see preparedSqlOfManager). */
  private get prepared() {
    return preparedSqlOfManager(this.tenant.manager);
  }

  findById(id: string): Promise<CaseEntity | null> {
    return this.em.findOneBy(CaseEntity, { id });
  }

  /** Locks the case row for the rest of the request's transaction (serializes concurrent changes). */
  findForUpdate(id: string): Promise<CaseEntity | null> {
    return this.em.findOne(CaseEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * A new case with its first promise (if any) and its opening ledger entries in ONE statement (the
   * rows are the same as inserting them one by one: foreign keys and triggers are checked at the end of
   * the statement, when every part is in). The number comes from the tenant's own sequence (migration
   * CaseNumberSequences): no row lock is held for the rest of the transaction, so concurrent creates never
   * wait on each other; a create that rolls back leaves a gap in the numbers. `extra` adds select-list items over the inserted row `c` (e.g. what the alert plan
   * reads), and `notice` a pg_notify sent with it. Answers the written rows: what a detail read would
   * return right after, without reading it back.
   */
  async create(
    data: Omit<Partial<CaseEntity>, 'number'> & { id: string },
    promise: Omit<Partial<CasePromiseEntity>, 'tenantId' | 'caseId' | 'createdAt'> | null,
    ledger: Omit<Partial<LedgerEntryEntity>, 'id' | 'tenantId' | 'caseId'>[],
    options: { extra?: string; notice?: { channel: string; payload: string } } = {},
  ): Promise<{ case: CaseEntity; promises: CasePromiseEntity[]; ledger: LedgerEntryEntity[]; row: Record<string, unknown>; extra: Record<string, unknown> }> {
    const meta = this.em.connection.getMetadata(CaseEntity);
    const entity = this.em.create(CaseEntity, { ...data, tenantId: this.tenant.tenantId });
    const columns = meta.columns.filter((c) => !c.isCreateDate && !c.isUpdateDate && c.propertyName !== 'number');
    const params: unknown[] = columns.map((c) => c.getEntityValue(entity) ?? null);
    const $ = (value: unknown) => `$${params.push(value)}`;
    const col = <K extends keyof (typeof ledger)[number]>(key: K) => ledger.map((e) => e[key] ?? null);
    const promiseSql = promise
      ? `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, breakdown, keep_probability, reason, customer_accepted, created_by)
         SELECT c.tenant_id, c.id, ${$(promise.version)}, ${$(promise.promisedAt)}, ${$(promise.breakdown ? JSON.stringify(promise.breakdown) : null)}::jsonb,
                ${$(promise.keepProbability ?? null)}::double precision, ${$(promise.reason ?? null)}, ${$(promise.customerAccepted ?? null)},
                ${$(promise.createdBy ?? null)}::uuid
           FROM c RETURNING *`
      : `SELECT * FROM case_promises WHERE false`;
    const ledgerSql = `
      INSERT INTO case_ledger (tenant_id, case_id, at, actor_kind, actor_id, actor_name, field, old_value, new_value, reason,
                               expectation_source, customer_accepted, promise_version)
      SELECT c.tenant_id, c.id, x.at, x.actor_kind, x.actor_id, x.actor_name, x.field, x.old_value, x.new_value, x.reason,
             x.expectation_source, x.customer_accepted, x.promise_version
        FROM c, unnest(${$(col('at'))}::timestamptz[], ${$(col('actorKind'))}::text[], ${$(col('actorId'))}::uuid[], ${$(col('actorName'))}::text[],
                       ${$(col('field'))}::text[], ${$(col('oldValue'))}::text[], ${$(col('newValue'))}::text[], ${$(col('reason'))}::text[],
                       ${$(col('expectationSource'))}::text[], ${$(col('customerAccepted'))}::text[], ${$(col('promiseVersion'))}::int[])
             WITH ORDINALITY AS x(at, actor_kind, actor_id, actor_name, field, old_value, new_value, reason, expectation_source,
                                  customer_accepted, promise_version, ord)
       ORDER BY x.ord
      RETURNING *`;
    const notice = options.notice ? `pg_notify(${$(options.notice.channel)}, ${$(options.notice.payload)}) AS notified,` : '';
    const [row] = await this.prepared<{ case: Record<string, unknown>; promises: Record<string, unknown>[]; ledger: Record<string, unknown>[] }>(
      `WITH c AS (
         INSERT INTO cases (number, ${columns.map((c) => c.databaseName).join(', ')})
         VALUES (kept_next_case_number(), ${columns.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING *
       ), p AS (${promiseSql}), l AS (${ledgerSql})
       SELECT to_jsonb(c) AS case,
              (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.version), '[]') FROM p) AS promises,
              (SELECT coalesce(jsonb_agg(to_jsonb(l) || jsonb_build_object('id', l.id::text) ORDER BY l.id), '[]') FROM l) AS ledger,
              ${notice}
              ${options.extra ? `${options.extra},` : ''}
              true AS created
         FROM c`,
      params,
    );
    const { case: caseRow, promises, ledger: ledgerRows, ...extra } = row;
    return {
      case: this.hydrate(CaseEntity, caseRow),
      promises: promises.map((p) => this.hydrate(CasePromiseEntity, p)),
      ledger: ledgerRows.map((l) => this.hydrate(LedgerEntryEntity, l)),
      row: caseRow,
      extra,
    };
  }

  async save(entity: CaseEntity): Promise<CaseEntity> {
    await this.em.save(CaseEntity, entity);
    return this.em.findOneByOrFail(CaseEntity, { id: entity.id });
  }

  async appendLedger(entries: Omit<Partial<LedgerEntryEntity>, 'id' | 'tenantId'>[]): Promise<void> {
    if (entries.length === 0) return;
    await this.em.insert(
      LedgerEntryEntity,
      entries.map((e) => ({ ...e, tenantId: this.tenant.tenantId })),
    );
  }

  async addPromise(data: Omit<Partial<CasePromiseEntity>, 'tenantId'>): Promise<void> {
    await this.em.insert(CasePromiseEntity, { ...data, tenantId: this.tenant.tenantId });
  }

  async addMilestone(data: Omit<Partial<MilestoneEntity>, 'tenantId'>): Promise<void> {
    await this.em.insert(MilestoneEntity, { ...data, tenantId: this.tenant.tenantId });
  }

  async openPause(data: Omit<Partial<PauseEntity>, 'tenantId'>): Promise<void> {
    await this.em.insert(PauseEntity, { ...data, tenantId: this.tenant.tenantId });
  }

  async closeOpenPause(caseId: string, at: Date): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(PauseEntity)
      .set({ endedAt: () => 'GREATEST(started_at, :at)' })
      .setParameter('at', at)
      .where('case_id = :caseId AND ended_at IS NULL', { caseId })
      .execute();
  }

  async list(query: ListCasesQuery, cursor: ListCursor | null): Promise<CaseEntity[]> {
    const qb = this.em.createQueryBuilder(CaseEntity, 'c');
    if (query.status?.length) qb.andWhere('c.status IN (:...status)', { status: query.status });
    if (query.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: query.customerId });
    if (query.siteId) qb.andWhere('c.site_id = :siteId', { siteId: query.siteId });
    if (query.category) qb.andWhere('c.category = :category', { category: query.category });
    if (query.priority) qb.andWhere('c.priority = :priority', { priority: query.priority });
    // As Dates, not strings: PostgreSQL rejects the ISO year 0000 that the schema lets through (1 BC for a Date).
    if (query.openedFrom) qb.andWhere('c.opened_at >= :openedFrom', { openedFrom: new Date(query.openedFrom) });
    if (query.openedTo) qb.andWhere('c.opened_at < :openedTo', { openedTo: new Date(query.openedTo) });
    if (query.q) {
      const q = query.q.trim();
      const number = /^(?:K-)?(\d{1,9})$/i.exec(q)?.[1];
      qb.andWhere(
        new Brackets((w) => {
          w.where('c.summary ILIKE :like', { like: `%${q.replace(/[%_\\]/g, '\\$&')}%` });
          w.orWhere('c.customer_id IN (SELECT cu.id FROM customers cu WHERE cu.name ILIKE :like)');
          if (number) w.orWhere('c.number = :number', { number: Number(number) });
        }),
      );
    }
    if (cursor) {
      qb.andWhere('(c.opened_at, c.id) < (:cOpened, :cId)', { cOpened: cursor.openedAt, cId: cursor.id });
    }
    return qb.orderBy('c.opened_at', 'DESC').addOrderBy('c.id', 'DESC').take(query.limit + 1).getMany();
  }

  async bundle(cases: CaseEntity[]): Promise<CaseBundle> {
    const ids = cases.map((c) => c.id);
    const customerIds = [...new Set(cases.map((c) => c.customerId))];
    const siteIds = [...new Set(cases.flatMap((c) => (c.siteId ? [c.siteId] : [])))];
    const contractIds = [...new Set(cases.flatMap((c) => (c.contractId ? [c.contractId] : [])))];
    // One transaction = one connection: queries run one after another, never concurrently.
    const customers = customerIds.length ? await this.em.findBy(CustomerEntity, { id: In(customerIds) }) : [];
    const sites = siteIds.length ? await this.em.findBy(SiteEntity, { id: In(siteIds) }) : [];
    const contracts = contractIds.length ? await this.em.findBy(ContractEntity, { id: In(contractIds) }) : [];
    const pauses = ids.length ? await this.em.find(PauseEntity, { where: { caseId: In(ids) }, order: { startedAt: 'ASC' } }) : [];
    const assigneeIds = [...new Set(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))];
    const assignees = await this.users(assigneeIds);
    const calendarIds = [...new Set(contracts.map((c) => c.calendarId))];
    const calendars = calendarIds.length ? await this.em.findBy(CalendarEntity, { id: In(calendarIds) }) : [];
    const pausesByCase = new Map<string, PauseEntity[]>();
    for (const p of pauses) pausesByCase.set(p.caseId, [...(pausesByCase.get(p.caseId) ?? []), p]);
    return {
      cases,
      customers: byId(customers),
      sites: byId(sites),
      contracts: byId(contracts),
      calendars: byId(calendars),
      pauses: pausesByCase,
      assignees: byId(assignees),
    };
  }

  /** The case with its bundle and history in one query; null when the case is not visible. */
  async detail(id: string): Promise<CaseDetailRows | null> {
    const [row] = await this.prepared<DetailRow>(DETAIL_SQL, [id]);
    if (!row) return null;
    const c = this.hydrate(CaseEntity, row.case);
    const one = <T extends { id: string }>(target: EntityTarget<T>, r: Record<string, unknown> | null) => (r ? byId([this.hydrate(target, r)]) : new Map<string, T>());
    const pauses = row.pauses.map((p) => this.hydrate(PauseEntity, p));
    return {
      case: c,
      bundle: {
        cases: [c],
        customers: one(CustomerEntity, row.customer),
        sites: one(SiteEntity, row.site),
        contracts: one(ContractEntity, row.contract),
        calendars: one(CalendarEntity, row.calendar),
        pauses: pauses.length ? new Map([[c.id, pauses]]) : new Map(),
        assignees: row.assignee ? byId([row.assignee]) : new Map(),
      },
      history: {
        ledger: row.ledger.map((l) => this.hydrate(LedgerEntryEntity, l)),
        milestones: row.milestones.map((m) => this.hydrate(MilestoneEntity, m)),
        promises: row.promises.map((v) => this.hydrate(CasePromiseEntity, v)),
        users: new Map(Object.entries(row.ledger_users)),
      },
    };
  }

  /** An entity from a row as JSON (snake_case keys), converted the way TypeORM converts a driver row. */
  private hydrate<T extends ObjectLiteral>(target: EntityTarget<T>, row: Record<string, unknown>): T {
    const connection = this.em.connection;
    const meta = connection.getMetadata(target);
    const entity = meta.create() as T;
    for (const column of meta.columns) {
      const value = row[column.databaseName];
      if (value === undefined) continue;
      // JSON carries instants as ISO strings; the driver would have given Dates.
      const instant = typeof value === 'string' && TIMESTAMP_TYPES.has(column.type);
      column.setEntityValue(entity, instant ? new Date(value) : connection.driver.prepareHydratedValue(value, column));
    }
    return entity;
  }

  /** The tenant's users with these ids (RLS hides other tenants' users: they come back missing). */
  async users(ids: string[]): Promise<AssigneeRow[]> {
    if (ids.length === 0) return [];
    return this.em.query('SELECT id, name, team, role, active FROM users WHERE id = ANY($1::uuid[])', [ids]);
  }

  async history(caseId: string) {
    const ledger = await this.em.find(LedgerEntryEntity, { where: { caseId }, order: { id: 'ASC' } });
    const milestones = await this.em.find(MilestoneEntity, { where: { caseId }, order: { at: 'ASC', createdAt: 'ASC' } });
    const promises = await this.em.find(CasePromiseEntity, { where: { caseId }, order: { version: 'ASC' } });
    const userIds = ledger.filter((e) => e.field === 'assignee').flatMap((e) => [e.oldValue, e.newValue]).filter((v): v is string => Boolean(v));
    const users = new Map((await this.users([...new Set(userIds)])).map((u) => [u.id, u.name]));
    return { ledger, milestones, promises, users };
  }

  /**
   * What a new case refers to, in one round trip: the customer, site, asset, contract (with its calendar)
   * and assignee (null when missing or hidden by RLS). The rows are those the new case's detail shows.
   */
  async references(input: { customerId: string; siteId?: string; assetId?: string; contractId?: string; assigneeId?: string }) {
    const [row] = await this.prepared<{
      customer: Record<string, unknown> | null;
      site: Record<string, unknown> | null;
      asset: { id: string; site_id: string; customer_id: string } | null;
      contract: Record<string, unknown> | null;
      calendar: Record<string, unknown> | null;
      assignee: AssigneeRow | null;
    }>(
      `SELECT (SELECT to_jsonb(x) FROM customers x WHERE x.id = $1::uuid) AS customer,
              (SELECT to_jsonb(x) FROM sites x WHERE x.id = $2::uuid) AS site,
              (SELECT jsonb_build_object('id', id, 'site_id', site_id, 'customer_id', customer_id) FROM assets WHERE id = $3::uuid) AS asset,
              (SELECT to_jsonb(x) FROM contracts x WHERE x.id = $4::uuid) AS contract,
              (SELECT to_jsonb(cal) FROM contracts k JOIN calendars cal ON cal.id = k.calendar_id WHERE k.id = $4::uuid) AS calendar,
              (SELECT jsonb_build_object('id', id, 'name', name, 'team', team, 'role', role, 'active', active) FROM users WHERE id = $5::uuid) AS assignee`,
      [input.customerId, input.siteId ?? null, input.assetId ?? null, input.contractId ?? null, input.assigneeId ?? null],
    );
    const customer = row.customer ? this.hydrate(CustomerEntity, row.customer) : null;
    const site = row.site ? this.hydrate(SiteEntity, row.site) : null;
    const contract = row.contract ? this.hydrate(ContractEntity, row.contract) : null;
    const calendar = row.calendar ? this.hydrate(CalendarEntity, row.calendar) : null;
    return { customer, site, asset: row.asset, contract, calendar, assignee: row.assignee };
  }
}
