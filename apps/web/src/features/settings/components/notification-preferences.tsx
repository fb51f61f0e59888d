import { useState } from 'react';
import type { NotificationPreferences as Preferences } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { viewerTimeZone } from '@/lib/format';
import { usePreferences, useSavePreferences } from '../api/settings';

function PreferencesForm({ initial }: { initial: Preferences }) {
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

/** The signed-in user's own notification settings: e-mail, the low-severity digest, quiet hours. */
export function NotificationPreferences() {
  const query = usePreferences();
  if (query.isPending) return <Spinner size="md" label="Loading your notification settings" />;
  if (query.isError) {
    return <LoadError title="Your notification settings could not be loaded" error={query.error} onRetry={() => void query.refetch()} busy={query.isFetching} />;
  }
  return <PreferencesForm initial={query.data} />;
}
