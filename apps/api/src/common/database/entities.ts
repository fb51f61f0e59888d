import { ApiKeyEntity } from '../../modules/auth/api-key.entity';
import { OrganizationEntity } from '../../modules/auth/organization.entity';
import { CalendarEntity } from '../../modules/calendars/calendar.entity';
import {
  CaseEntity,
  CasePromiseEntity,
  LedgerEntryEntity,
  MilestoneEntity,
  PauseEntity,
} from '../../modules/cases/case.entity';
import { ContractEntity } from '../../modules/contracts/contract.entity';
import { AssetEntity, CustomerEntity, SiteEntity } from '../../modules/customers/customer.entity';
import { UserEntity } from '../../modules/users/user.entity';

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
