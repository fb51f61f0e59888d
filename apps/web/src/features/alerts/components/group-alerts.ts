import type { AlertResponse, AlertSeverity } from '@kept/contracts';

const RANK: Record<AlertSeverity, number> = { critical: 3, high: 2, medium: 1, low: 0 };

export interface AlertGroup {
  caseId: string;
  caseReference: string;
  caseSummary: string;
  /** The most severe alert's severity: the group's rank. */
  severity: AlertSeverity;
  /** Most severe first, then the latest to fire. */
  alerts: AlertResponse[];
}

const lastFired = (a: AlertResponse) => a.lastFiredAt ?? a.firedAt ?? a.dueAt ?? a.createdAt;

/** Most severe first; among equals the one that fired last. */
function compareAlerts(a: AlertResponse, b: AlertResponse): number {
  return RANK[b.severity] - RANK[a.severity] || lastFired(b).localeCompare(lastFired(a));
}

/**
 * The inbox's order: one group per case, the case with the most severe alert first (a critical
 * escalation above a case with only warnings), ties by the latest alert; inside a group the same order.
 */
export function groupAlertsByCase(alerts: readonly AlertResponse[]): AlertGroup[] {
  const byCase = new Map<string, AlertResponse[]>();
  for (const a of alerts) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
  const groups = [...byCase.values()].map((list): AlertGroup => {
    const sorted = [...list].sort(compareAlerts);
    return { caseId: sorted[0].caseId, caseReference: sorted[0].caseReference, caseSummary: sorted[0].caseSummary, severity: sorted[0].severity, alerts: sorted };
  });
  return groups.sort((a, b) => compareAlerts(a.alerts[0], b.alerts[0]));
}
