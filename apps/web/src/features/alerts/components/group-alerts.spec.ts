import { createAlert } from '@/testing/factories/alert.factory';
import { groupAlertsByCase } from './group-alerts';

describe('groupAlertsByCase', () => {
  it('ranks cases by their most severe alert, then by the latest firing, and sorts inside each case alike', () => {
    const groups = groupAlertsByCase([
      createAlert({ caseId: 'warm', severity: 'medium', firedAt: '2026-11-23T12:50:00Z' }),
      createAlert({ caseId: 'hot', severity: 'high', ruleKind: 'repeat', firedAt: '2026-11-23T10:00:00Z', lastFiredAt: '2026-11-23T12:40:00Z' }),
      createAlert({ caseId: 'hot', severity: 'critical', ruleKind: 'escalation', firedAt: '2026-11-23T11:00:00Z' }),
      createAlert({ caseId: 'hot', severity: 'high', ruleKind: 'breach', firedAt: '2026-11-23T10:00:00Z' }),
      createAlert({ caseId: 'also-high', severity: 'high', firedAt: '2026-11-23T12:00:00Z' }),
    ]);
    expect(groups.map((g) => [g.caseId, g.severity])).toEqual([
      ['hot', 'critical'],
      ['also-high', 'high'],
      ['warm', 'medium'],
    ]);
    // Inside the case: the escalation, then the repeat (last fired 12:40) before the breach (10:00).
    expect(groups[0].alerts.map((a) => a.ruleKind)).toEqual(['escalation', 'repeat', 'breach']);
  });

  it('gives nothing for no alerts', () => {
    expect(groupAlertsByCase([])).toEqual([]);
  });
});
