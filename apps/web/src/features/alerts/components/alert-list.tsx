import { useState } from 'react';
import type { AlertResponse, AlertSeverity } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant } from '@/lib/format';
import { useAlertAction } from '../api/alerts';

const SEVERITY: Record<AlertSeverity, { tone: BadgeTone; label: string; icon: string }> = {
  critical: { tone: 'danger', label: 'Critical', icon: '!!' },
  high: { tone: 'danger', label: 'High', icon: '!' },
  medium: { tone: 'warning', label: 'Medium', icon: '▲' },
  low: { tone: 'info', label: 'Low', icon: 'i' },
};

const RULE: Record<AlertResponse['ruleKind'], string> = {
  goodwill_approval: 'Goodwill waits for approval',
  root_cause: 'Root cause missing',
  action_overdue: 'Corrective action overdue',
  fraction: 'Share of the window used',
  lead: 'Lead time before the deadline',
  at_risk: 'Predicted at risk',
  breach: 'Deadline passed',
  repeat: 'Reminder',
  escalation: 'Escalation',
  customer: 'The customer answered',
  request: 'Request from the field',
};

const SNOOZE_CHOICES = [15, 60, 240];

function AlertItem({ alert, canAct, isNew }: { alert: AlertResponse; canAct: boolean; isNew: boolean }) {
  const action = useAlertAction();
  const [minutes, setMinutes] = useState(60);
  const look = SEVERITY[alert.severity];
  const fmt = (iso: string | null) => (iso ? (formatInstant(iso) ?? iso) : '—');
  return (
    <li className={['alert-item', isNew ? 'is-new' : null].filter(Boolean).join(' ')} data-testid="alert-item" data-alert-id={alert.id} data-severity={alert.severity}>
      <div className="alert-item__main">
        <div className="alert-item__badges">
          <Badge tone={look.tone} icon={look.icon}>
            {look.label}
          </Badge>
          <span className="alert-item__rule">
            {RULE[alert.ruleKind]}
            {alert.targetVersion > 0 && <> · {alert.target === 'promised' ? 'the promise' : 'the need'} (v{alert.targetVersion})</>}
          </span>
          {isNew ? <Badge tone="info">New</Badge> : null}
        </div>
        <p className="alert-item__message">{alert.message}</p>
        <p className="alert-item__meta">
          {alert.ruleKind === 'repeat' && alert.repeatCount > 1
            ? `Reminded ${alert.repeatCount} times, last ${fmt(alert.lastFiredAt)} · first ${fmt(alert.firedAt)}`
            : `Fired ${fmt(alert.firedAt)}`}
          {alert.ruleKind !== 'repeat' ? ` · due ${fmt(alert.dueAt)}` : ''}
          {alert.ruleKind === 'repeat' && alert.state === 'fired' && alert.dueAt && (!alert.lastFiredAt || alert.dueAt > alert.lastFiredAt)
            ? ` · next ${fmt(alert.dueAt)}`
            : ''}
          {alert.acknowledgedBy ? ` · acknowledged by ${alert.acknowledgedBy.name} ${fmt(alert.acknowledgedAt)}` : ''}
          {alert.snoozedUntil && new Date(alert.snoozedUntil) > new Date() ? ` · snoozed until ${fmt(alert.snoozedUntil)}` : ''}
        </p>
        {action.isError ? <Alert>{errorMessage(action.error)}</Alert> : null}
      </div>
      {canAct && alert.state === 'fired' ? (
        <div className="alert-item__actions">
          <Button size="sm" busy={action.isPending && action.variables?.action === 'acknowledge'} onClick={() => action.mutate({ id: alert.id, action: 'acknowledge' })}>
            Acknowledge
          </Button>
          <SelectField label="Snooze for" hideLabel inline value={String(minutes)} onChange={(v) => setMinutes(Number(v))}>
            {SNOOZE_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m < 60 ? `${m} min` : `${m / 60} h`}
              </option>
            ))}
          </SelectField>
          <Button size="sm" variant="secondary" busy={action.isPending && action.variables?.action === 'snooze'} onClick={() => action.mutate({ id: alert.id, action: 'snooze', minutes })}>
            Snooze
          </Button>
        </div>
      ) : (
        <div className="alert-item__actions">
          <Badge tone={alert.state === 'acknowledged' ? 'success' : 'muted'}>{alert.state === 'fired' ? 'Open' : alert.state}</Badge>
        </div>
      )}
    </li>
  );
}

export function AlertList({ alerts, canAct, newIds = new Set() }: { alerts: AlertResponse[]; canAct: boolean; newIds?: Set<string> }) {
  return (
    <ul className="alert-list">
      {alerts.map((a) => (
        <AlertItem key={a.id} alert={a} canAct={canAct} isNew={newIds.has(a.id)} />
      ))}
    </ul>
  );
}
