import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type {
  CaseStatus,
  CustomerAcceptance,
  ExpectationSource,
  LedgerEntryResponse,
  MilestoneKind,
  Priority,
  PromiseBreakdown,
} from '@kept/contracts';

export type ActorKind = 'user' | 'api_key' | 'system' | 'customer';

@Entity('cases')
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column({ type: 'integer' }) number!: number;
  @Column('uuid') customerId!: string;
  @Column({ type: 'uuid', nullable: true }) siteId!: string | null;
  @Column({ type: 'uuid', nullable: true }) assetId!: string | null;
  @Column({ type: 'uuid', nullable: true }) contractId!: string | null;
  @Column() category!: string;
  @Column({ type: 'text' }) priority!: Priority;
  @Column() summary!: string;
  @Column({ type: 'text', nullable: true }) context!: string | null;
  @Column({ type: 'smallint', nullable: true }) stressLevel!: number | null;
  /** Extra segment values by name (queue, department, …): levels the tenant's model may choose (issue 16). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" }) segments!: Record<string, string>;
  @Column({ type: 'text' }) status!: CaseStatus;
  @Column({ type: 'text', nullable: true }) pauseReason!: string | null;
  @Column({ type: 'timestamptz' }) openedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) requiredAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) expectedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) expectationSource!: ExpectationSource | null;
  @Column({ type: 'timestamptz', nullable: true }) promisedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) fixedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) satisfiedAt!: Date | null;
  @Column({ type: 'integer' }) promiseVersion!: number;
  /** Who works on the case (a user of the tenant); changed only through the assignment endpoint. */
  @Column({ type: 'uuid', nullable: true }) assigneeId!: string | null;
  /** The case's team: the assignee's users.team when assigned, or set explicitly. */
  @Column({ type: 'text', nullable: true }) team!: string | null;
  /** Optimistic-concurrency version; bumped explicitly by the service on every change. */
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('case_promises')
export class CasePromiseEntity {
  @PrimaryColumn('uuid') caseId!: string;
  @PrimaryColumn({ type: 'integer' }) version!: number;
  @Column('uuid') tenantId!: string;
  @Column({ type: 'timestamptz' }) promisedAt!: Date;
  @Column({ type: 'jsonb', nullable: true }) breakdown!: PromiseBreakdown | null;
  @Column({ type: 'double precision', nullable: true }) keepProbability!: number | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'text', nullable: true }) customerAccepted!: CustomerAcceptance | null;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('case_ledger')
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') caseId!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) actorKind!: ActorKind;
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'text', nullable: true }) actorName!: string | null;
  @Column({ type: 'text' }) field!: LedgerEntryResponse['field'];
  @Column({ type: 'text', nullable: true }) oldValue!: string | null;
  @Column({ type: 'text', nullable: true }) newValue!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'text', nullable: true }) expectationSource!: ExpectationSource | null;
  @Column({ type: 'text', nullable: true }) customerAccepted!: CustomerAcceptance | null;
  @Column({ type: 'integer' }) promiseVersion!: number;
}

@Entity('case_milestones')
export class MilestoneEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') caseId!: string;
  @Column({ type: 'text' }) kind!: MilestoneKind;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) actorKind!: ActorKind;
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'text', nullable: true }) actorName!: string | null;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('case_pauses')
export class PauseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') caseId!: string;
  @Column({ type: 'timestamptz' }) startedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column() reason!: string;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
