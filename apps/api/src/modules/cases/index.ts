// The cases module's public face: other modules and the application roots import from here, never from its files.
export { CaseEntity, CasePromiseEntity, LedgerEntryEntity, MilestoneEntity, PauseEntity } from './case.entity';
export { calendarOf, toCaseSummary, toDomainPauses } from './case.mapper';
export { CaseRepository } from './case.repository';
export type { CaseBundle } from './case.repository';
export { CaseModule } from './case.module';
export { CaseService } from './case.service';
