import { CreateFoundation1763900000000 } from './1763900000000-CreateFoundation';
import { CreateAlerts1764000000000 } from './1764000000000-CreateAlerts';
import { HistoryImport1764100000000 } from './1764100000000-HistoryImport';
import { PromiseKeepProbability1764300000000 } from './1764300000000-PromiseKeepProbability';
import { UserTeam1764300000001 } from './1764300000001-UserTeam';
import { StatusLinks1764400000000 } from './1764400000000-StatusLinks';
import { CaseAssignee1764500000000 } from './1764500000000-CaseAssignee';
import { BoardRisk1764600000000 } from './1764600000000-BoardRisk';
import { AnalyticsIndexes1764610000000 } from './1764610000000-AnalyticsIndexes';
import { CasePromiseKeepProbability1764610000001 } from './1764610000001-CasePromiseKeepProbability';
import { CaseNumberSequences1764620000000 } from './1764620000000-CaseNumberSequences';
import { BatchAlertJobs1764700000000 } from './1764700000000-BatchAlertJobs';
import { CreateThrottleCounters1764710000000 } from './1764710000000-CreateThrottleCounters';
import { ExpireIdempotencyKeys1764710000001 } from './1764710000001-ExpireIdempotencyKeys';
import { SessionsAndOnboarding1764720000000 } from './1764720000000-SessionsAndOnboarding';
import { CollapseAlertRepeats1764730000000 } from './1764730000000-CollapseAlertRepeats';
import { CreateFieldRequests1764760000000 } from './1764760000000-CreateFieldRequests';
import { CustomerStatusActions1764765000000 } from './1764765000000-CustomerStatusActions';
import { CreateGoodwillAndRootCauses1764770000000 } from './1764770000000-CreateGoodwillAndRootCauses';
import { AlertKindsOfRecoveryAndCustomers1764780000000 } from './1764780000000-AlertKindsOfRecoveryAndCustomers';
import { FireAlertsInBatches1764800000000 } from './1764800000000-FireAlertsInBatches';
import { CreateOpsStatus1764810000000 } from './1764810000000-CreateOpsStatus';
import { ScopeUserEmailPerTenant1764830000000 } from './1764830000000-ScopeUserEmailPerTenant';
import { CreateCustomerEmails1764840000000 } from './1764840000000-CreateCustomerEmails';
import { AddCaseSegments1764860000000 } from './1764860000000-AddCaseSegments';

/** Every migration, in order. Listed explicitly (no glob) so bundling and tests see the same set. */
export const migrations = [
  CreateFoundation1763900000000,
  CreateAlerts1764000000000,
  HistoryImport1764100000000,
  PromiseKeepProbability1764300000000,
  UserTeam1764300000001,
  StatusLinks1764400000000,
  CaseAssignee1764500000000,
  BoardRisk1764600000000,
  AnalyticsIndexes1764610000000,
  CasePromiseKeepProbability1764610000001,
  CaseNumberSequences1764620000000,
  BatchAlertJobs1764700000000,
  CreateThrottleCounters1764710000000,
  ExpireIdempotencyKeys1764710000001,
  SessionsAndOnboarding1764720000000,
  CollapseAlertRepeats1764730000000,
  CreateFieldRequests1764760000000,
  CustomerStatusActions1764765000000,
  CreateGoodwillAndRootCauses1764770000000,
  AlertKindsOfRecoveryAndCustomers1764780000000,
  FireAlertsInBatches1764800000000,
  CreateOpsStatus1764810000000,
  ScopeUserEmailPerTenant1764830000000,
  CreateCustomerEmails1764840000000,
  AddCaseSegments1764860000000,
];
