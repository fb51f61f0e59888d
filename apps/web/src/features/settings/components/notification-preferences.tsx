import { useState, type FormEvent } from 'react';
import type { NotificationPreferences as Preferences } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { TimeZoneSelect } from '@/components/ui/time-zone-select';
import { errorMessage } from '@/lib/api-client';
import { viewerTimeZone } from '@/lib/format';
import { usePreferences, useSavePreferences } from '../api/settings';

/** Quiet hours as the form checks them before saving: two different times of day. */
export function quietHoursError(from: string, to: string): Partial<Record<'from' | 'to', string>> {
  const errors: Partial<Record<'from' | 'to', string>> = {};
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(from)) errors.from = 'Pick the time quiet hours start';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(to)) errors.to = 'Pick the time quiet hours end';
  if (!errors.from && !errors.to && from === to) errors.to = 'Quiet hours must end at another time than they start';
  return errors;
}

function PreferencesForm({ initial }: { initial: Preferences }) {
  const save = useSavePreferences();
  const [email, setEmail] = useState(initial.emailEnabled);
  const [digest, setDigest] = useState(initial.digestLowSeverity);
  const [quiet, setQuiet] = useState(initial.quietHours !== null);
  const [from, setFrom] = useState(initial.quietHours?.from ?? '20:00');
  const [to, setTo] = useState(initial.quietHours?.to ?? '07:00');
  const [zone, setZone] = useState(initial.quietHours?.timeZone ?? viewerTimeZone());
  const [errors, setErrors] = useState<Partial<Record<'from' | 'to', string>>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e = quiet ? quietHoursError(from, to) : {};
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    save.mutate({ emailEnabled: email, digestLowSeverity: digest, quietHours: quiet ? { from, to, timeZone: zone } : null });
  };

  return (
    <form aria-label="My notifications" className="preferences" noValidate onSubmit={submit}>
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
        <label htmlFor="pref-quiet">Quiet hours: e-mails wait until they end</label>
      </div>
      {quiet ? (
        <div className="form-grid">
          <TextField label="Quiet from" type="time" value={from} onChange={(e) => setFrom(e.target.value)} error={errors.from} required />
          <TextField label="Quiet until" type="time" value={to} onChange={(e) => setTo(e.target.value)} error={errors.to} required hint="May be the next morning." />
          <TimeZoneSelect label="In the time zone" value={zone} onChange={setZone} required />
        </div>
      ) : null}
      {save.isError ? <Alert title="Not saved">{errorMessage(save.error)}</Alert> : null}
      {save.isSuccess ? <Alert tone="info">Saved.</Alert> : null}
      <div>
        <Button type="submit" size="sm" busy={save.isPending}>
          Save my notifications
        </Button>
      </div>
    </form>
  );
}

/** The signed-in user's own notification settings: e-mail, the low-severity digest, quiet hours and their zone. */
export function NotificationPreferences() {
  const query = usePreferences();
  if (query.isPending) return <Spinner size="md" label="Loading your notification settings" />;
  if (query.isError) {
    return <LoadError title="Your notification settings could not be loaded" error={query.error} onRetry={() => void query.refetch()} busy={query.isFetching} />;
  }
  return <PreferencesForm initial={query.data} />;
}
