import { useState } from 'react';
import { ALERT_SEVERITIES, type AlertSeverity } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { humanize } from '@/lib/format';
import { itemsOf, useCreateWebhook, useUpdateWebhook, useWebhooks } from '../api/settings';

/** The tenant's webhook endpoints: list, enable or disable, add one (its signing secret is shown once). */
export function WebhookSettings() {
  const webhooks = useWebhooks(true);
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const [url, setUrl] = useState('');
  const [severity, setSeverity] = useState<AlertSeverity>('medium');
  const [error, setError] = useState<string | null>(null);
  if (webhooks.isPending) return <Spinner size="md" label="Loading webhooks" />;
  if (webhooks.isError) {
    return <LoadError title="Webhooks could not be loaded" error={webhooks.error} onRetry={() => void webhooks.refetch()} busy={webhooks.isFetching} />;
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
          <SelectField label="Send alerts from severity" value={severity} onChange={(v) => setSeverity(v as AlertSeverity)}>
            {ALERT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </SelectField>
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
