import { Fragment, useState, type FormEvent } from 'react';
import {
  ALERT_SEVERITIES,
  type AlertPolicyResponse,
  type AlertSeverity,
  type NotificationPreferences,
} from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { humanize, viewerTimeZone } from '@/lib/format';
import {
  itemsOf,
  useAlertPolicies,
  useCreateWebhook,
  usePreferences,
  useSavePreferences,
  useUpdatePolicy,
  useUpdateWebhook,
  useWebhooks,
} from '../api/settings';

const missing = (error: unknown) => error instanceof ApiError && error.status === 404;

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

function Policies() {
  const policies = useAlertPolicies();
  const update = useUpdatePolicy();
  const [editing, setEditing] = useState<string | null>(null);
  if (policies.isPending) return <Spinner size="md" label="Loading alert policies" />;
  if (policies.isError) {
    return (
      <p className="muted">
        {missing(policies.error)
          ? 'Alert policies are not available in this installation yet.'
          : errorMessage(policies.error)}
      </p>
    );
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

function Webhooks() {
  const webhooks = useWebhooks(true);
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const [url, setUrl] = useState('');
  const [severity, setSeverity] = useState<AlertSeverity>('medium');
  const [error, setError] = useState<string | null>(null);
  if (webhooks.isPending) return <Spinner size="md" label="Loading webhooks" />;
  if (webhooks.isError) {
    return (
      <p className="muted">
        {missing(webhooks.error)
          ? 'Webhooks are not available in this installation yet.'
          : errorMessage(webhooks.error)}
      </p>
    );
  }
  const list = itemsOf(webhooks.data);
  return (
    <>
      {list.length === 0 ? (
        <p className="muted">No webhook endpoints.</p>
      ) : (
        <ul className="event-list">
          {list.map((w) => (
            <li key={w.id}>
              <code>{w.url}</code> · from {w.minSeverity} ·{' '}
              {w.active ? 'active' : `disabled${w.disabledReason ? `: ${w.disabledReason}` : ''}`}{' '}
              <Button
                size="sm"
                variant="ghost"
                onClick={() =>
                  update.mutate({
                    id: w.id,
                    version: w.version,
                    active: !w.active,
                  })
                }
              >
                {w.active ? 'Disable' : 'Enable'}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="webhook-form"
        aria-label="New webhook"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^https?:\/\/\S+$/.test(url.trim())) {
            setError('An http(s) address, e.g. https://erp.example.com/kept');
            return;
          }
          setError(null);
          create.mutate({ url: url.trim(), minSeverity: severity }, { onSuccess: () => setUrl('') });
        }}
      >
        <div className="form-grid">
          <TextField
            label="Endpoint URL"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={error ?? undefined}
          />
          <div className="field">
            <label className="field__label" htmlFor="webhook-severity">
              Send alerts from severity
            </label>
            <select
              id="webhook-severity"
              className="field__input field__input--select"
              value={severity}
              onChange={(e) => setSeverity(e.target.value as AlertSeverity)}
            >
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {create.data ? (
          <Alert tone="info" title="Signing secret, shown only once">
            <code data-testid="webhook-secret">{create.data.secret}</code>
          </Alert>
        ) : null}
        {create.isError ? <Alert title="Not added">{errorMessage(create.error)}</Alert> : null}
        <Button type="submit" size="sm" busy={create.isPending}>
          Add webhook
        </Button>
      </form>
    </>
  );
}

function PreferencesForm({ initial }: { initial: NotificationPreferences }) {
  const save = useSavePreferences();
  const [email, setEmail] = useState(initial.emailEnabled);
  const [digest, setDigest] = useState(initial.digestLowSeverity);
  const [quiet, setQuiet] = useState(initial.quietHours !== null);
  const [from, setFrom] = useState(initial.quietHours?.from ?? '20:00');
  const [to, setTo] = useState(initial.quietHours?.to ?? '07:00');
  const zone = initial.quietHours?.timeZone ?? viewerTimeZone();
  return (
    <form
      aria-label="My notifications"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          emailEnabled: email,
          digestLowSeverity: digest,
          quietHours: quiet ? { from, to, timeZone: zone } : null,
        });
      }}
    >
      <div className="check-field">
        <input id="pref-email" type="checkbox" checked={email} onChange={(e) => setEmail(e.target.checked)} />
        <label htmlFor="pref-email">E-mail me alerts</label>
      </div>
      <div className="check-field">
        <input id="pref-digest" type="checkbox" checked={digest} onChange={(e) => setDigest(e.target.checked)} />
        <label htmlFor="pref-digest">Low-severity alerts as one hourly digest</label>
      </div>
      <div className="check-field">
        <input id="pref-quiet" type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />
        <label htmlFor="pref-quiet">Quiet hours ({zone}): e-mails wait until they end</label>
      </div>
      {quiet ? (
        <div className="form-grid">
          <TextField label="Quiet from" type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label="Quiet until" type="time" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      ) : null}
      {save.isError ? <Alert title="Not saved">{errorMessage(save.error)}</Alert> : null}
      {save.isSuccess ? <Alert tone="info">Saved.</Alert> : null}
      <Button type="submit" size="sm" busy={save.isPending}>
        Save my notifications
      </Button>
    </form>
  );
}

function Preferences() {
  const query = usePreferences();
  if (query.isPending) return <Spinner size="md" label="Loading your notification settings" />;
  if (query.isError)
    return (
      <p className="muted">
        {missing(query.error) ? 'Not available in this installation yet.' : errorMessage(query.error)}
      </p>
    );
  return <PreferencesForm initial={query.data} />;
}

export function AlertSettings({ isManager }: { isManager: boolean }) {
  return (
    <>
      <section className="panel" aria-label="Alert policies">
        <h2>Alert policies</h2>
        {isManager ? <Policies /> : <p className="muted">Only managers and admins can see alert policies.</p>}
      </section>
      <section className="panel" aria-label="Webhooks">
        <h2>Webhooks</h2>
        {isManager ? <Webhooks /> : <p className="muted">Only managers and admins can see webhooks.</p>}
      </section>
      <section className="panel" aria-label="My notifications">
        <h2>My notifications</h2>
        <Preferences />
      </section>
    </>
  );
}
