import { ApiKeyEntity, OrganizationEntity } from '../modules/auth';
import { CalendarEntity } from '../modules/calendars';
import { CaseEntity, CasePromiseEntity, LedgerEntryEntity, MilestoneEntity, PauseEntity } from '../modules/cases';
import { ContractEntity } from '../modules/contracts';
import { AssetEntity, CustomerEntity, SiteEntity } from '../modules/customers';
import { UserEntity } from '../modules/users';

/**
 * The TypeORM entities of the API's data source. It lives with the application root (not in common/,
 * which imports no module): the root composes the modules, common/ only serves them.
 */
export const entities = [
  OrganizationEntity,
  UserEntity,
  ApiKeyEntity,
  CustomerEntity,
  SiteEntity,
  AssetEntity,
  CalendarEntity,
  ContractEntity,
  CaseEntity,
  CasePromiseEntity,
  LedgerEntryEntity,
  MilestoneEntity,
  PauseEntity,
];
