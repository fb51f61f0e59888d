import type { RootCause, RootCauseQueueItem } from '@kept/contracts';
import { actionOverdue } from '@kept/domain';

export interface RootCauseRow {
  id: string;
  case_id: string;
  case_number: number;
  category: RootCause['category'];
  whys: string[];
  corrective_action: string;
  owner_id: string | null;
  owner_name: string | null;
  due_at: Date;
  done_at: Date | null;
  minutes_lost: number;
  team: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

export interface QueueRow {
  id: string;
  number: number;
  summary: string;
  team: string | null;
  satisfied_at: Date;
  promised_at: Date | null;
  required_at: Date | null;
}

export const toRootCause = (r: RootCauseRow, now: Date): RootCause => ({
  id: r.id,
  caseId: r.case_id,
  caseReference: `K-${r.case_number}`,
  category: r.category,
  whys: r.whys,
  correctiveAction: r.corrective_action,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  dueAt: r.due_at.toISOString(),
  doneAt: r.done_at ? r.done_at.toISOString() : null,
  overdue: actionOverdue({ dueAt: r.due_at, doneAt: r.done_at }, now),
  minutesLost: r.minutes_lost,
  team: r.team,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
});

export const toQueueItem = (r: QueueRow, minutesLate: number): RootCauseQueueItem => ({
  caseId: r.id,
  reference: `K-${r.number}`,
  summary: r.summary,
  team: r.team,
  satisfiedAt: r.satisfied_at.toISOString(),
  minutesLate: Math.round(minutesLate),
});
