import { Fragment, useState, type FormEvent } from 'react';
import type { AlertPolicyResponse } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { humanize } from '@/lib/format';
import { itemsOf, useAlertPolicies, useUpdatePolicy } from '../api/settings';

/** "50, 75, 90" ⇄ [0.5, 0.75, 0.9]; "30, 60" ⇄ [30, 60]. */
function parseList(text: string, scale: number, min: number, max: number): number[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const values = parts.map((p) => Number(p.replace('%', '')));
  if (values.some((v) => !Number.isFinite(v) || v < min || v > max)) return null;
  return values.map((v) => Math.round((v / scale) * 1000) / 1000);
}

function optionalMinutes(text: string): number | null | undefined {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 525_600 ? n : undefined;
}

function PolicyEditor({ policy, onDone }: { policy: AlertPolicyResponse; onDone: () => void }) {
  const update = useUpdatePolicy();
  const [fractions, setFractions] = useState(policy.fractions.map((f) => Math.round(f * 100)).join(', '));
  const [lead, setLead] = useState(policy.leadMinutes.join(', '));
  const [repeat, setRepeat] = useState(policy.repeatEveryMinutes?.toString() ?? '');
  const [escalate, setEscalate] = useState(policy.escalateAfterMinutes?.toString() ?? '');
  const [atBreach, setAtBreach] = useState(policy.atBreach);
  const [atRisk, setAtRisk] = useState(policy.atRisk);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    const f = parseList(fractions, 100, 1, 99);
    const l = parseList(lead, 1, 1, 525_600);
    const r = optionalMinutes(repeat);
    const x = optionalMinutes(escalate);
    if (!f) e.fractions = 'Percentages between 1 and 99, separated by commas';
    if (!l || l.some((v) => !Number.isInteger(v))) e.lead = 'Whole minutes, separated by commas';
    if (r === undefined) e.repeat = 'Whole minutes, or empty for never';
    if (x === undefined) e.escalate = 'Whole minutes, or empty for never';
    setErrors(e);
    if (Object.keys(e).length) return;
    update.mutate(
      {
        id: policy.id,
        version: policy.version,
        patch: {
          fractions: f!,
          leadMinutes: l!,
          repeatEveryMinutes: r!,
          escalateAfterMinutes: x!,
          atBreach,
          atRisk,
        },
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="policy-editor" onSubmit={submit} noValidate aria-label={`Edit ${policy.name}`}>
      <div className="form-grid">
        <TextField
          label="Warn at % of the window used"
          value={fractions}
          onChange={(e) => setFractions(e.target.value)}
          error={errors.fractions}
          hint="e.g. 50, 75, 90"
        />
        <TextField
          label="Warn minutes before"
          value={lead}
          onChange={(e) => setLead(e.target.value)}
          error={errors.lead}
          hint="e.g. 30"
        />
        <TextField
          label="Repeat every (minutes after breach)"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={errors.repeat}
          hint="Empty: never"
        />
        <TextField
          label="Escalate after (minutes)"
          value={escalate}
          onChange={(e) => setEscalate(e.target.value)}
          error={errors.escalate}
          hint="Empty: never"
        />
      </div>
      <div className="check-field">
        <input
          id={`${policy.id}-breach`}
          type="checkbox"
          checked={atBreach}
          onChange={(e) => setAtBreach(e.target.checked)}
        />
        <label htmlFor={`${policy.id}-breach`}>Alert at breach</label>
      </div>
      <div className="check-field">
        <input
          id={`${policy.id}-risk`}
          type="checkbox"
          checked={atRisk}
          onChange={(e) => setAtRisk(e.target.checked)}
        />
        <label htmlFor={`${policy.id}-risk`}>Alert when predicted at risk</label>
      </div>
      {update.isError ? <Alert title="Not saved">{errorMessage(update.error)}</Alert> : null}
      <div className="action-form__buttons">
        <Button type="submit" size="sm" busy={update.isPending}>
          Save policy
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Close
        </Button>
      </div>
    </form>
  );
}

/** The tenant's alert policies: what each watches and when it fires; turn on or off, edit inline. */
export function AlertPolicies() {
  const policies = useAlertPolicies();
  const update = useUpdatePolicy();
  const [editing, setEditing] = useState<string | null>(null);
  if (policies.isPending) return <Spinner size="md" label="Loading alert policies" />;
  if (policies.isError) {
    return <LoadError title="Alert policies could not be loaded" error={policies.error} onRetry={() => void policies.refetch()} busy={policies.isFetching} />;
  }
  const list = itemsOf(policies.data);
  if (list.length === 0) return <p className="muted">No alert policies.</p>;
  return (
    <>
      {update.isError ? <Alert title="Not changed">{errorMessage(update.error)}</Alert> : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Watches</th>
            <th scope="col">Fires at</th>
            <th scope="col">Channels</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <Fragment key={p.id}>
              <tr>
                <th scope="row">{p.name}</th>
                <td>
                  {p.target === 'promised' ? 'The promise' : 'The need'} ({p.basis} time)
                </td>
                <td>
                  {[
                    ...p.fractions.map((f) => `${Math.round(f * 100)} % used`),
                    ...p.leadMinutes.map((m) => `${m} min before`),
                    p.atRisk ? 'predicted at risk' : null,
                    p.atBreach ? 'at breach' : null,
                    p.repeatEveryMinutes ? `every ${p.repeatEveryMinutes} min after` : null,
                    p.escalateAfterMinutes ? `escalate after ${p.escalateAfterMinutes} min` : null,
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </td>
                <td>{p.channels.map(humanize).join(', ')}</td>
                <td className="policy-status">
                  <Badge tone={p.active ? 'success' : 'muted'}>{p.active ? 'Active' : 'Off'}</Badge>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() =>
                      update.mutate({
                        id: p.id,
                        version: p.version,
                        patch: { active: !p.active },
                      })
                    }
                  >
                    {p.active ? `Turn off ${p.name}` : `Turn on ${p.name}`}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-expanded={editing === p.id}
                    onClick={() => setEditing(editing === p.id ? null : p.id)}
                  >
                    Edit {p.name}
                  </Button>
                </td>
              </tr>
              {editing === p.id ? (
                <tr>
                  <td colSpan={5}>
                    <PolicyEditor key={p.version} policy={p} onDone={() => setEditing(null)} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  );
}
