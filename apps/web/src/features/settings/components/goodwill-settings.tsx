import { useState, type FormEvent } from 'react';
import { GOODWILL_ROLES, type GoodwillSettingsResponse } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { humanize } from '@/lib/format';
import { useGoodwillSettings, useSaveGoodwillSettings } from '../api/goodwill';
import { GoodwillBudgets } from './goodwill-budgets';
import { draftOf, settingsOf, type DraftErrors, type GoodwillDraft, type KindDraft } from './goodwill-draft';

/** The API's field messages (problem+json `errors[]`), keyed like the form's own. */
function serverErrors(error: unknown): DraftErrors {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem?.errors ?? []).map((e) => [/^kinds\.\d+\.currency$/.test(e.path) ? 'currency' : e.path.replace(/^(ladder|options)\..*$/, '$1'), e.message]));
}

function KindRow({ kind, index, currency, errors, onChange, onRemove }: {
  kind: KindDraft;
  index: number;
  currency: string;
  errors: DraftErrors;
  onChange: (patch: Partial<KindDraft>) => void;
  onRemove: () => void;
}) {
  const name = kind.label || `Kind ${index + 1}`;
  return (
    <fieldset className="fieldset goodwill-kind">
      <legend>{name}</legend>
      <TextField label="Name" value={kind.label} maxLength={80} onChange={(e) => onChange({ label: e.target.value })} error={errors[`kinds.${index}.label`]} />
      <div className="check-field">
        <input id={`kind-money-${index}`} type="checkbox" checked={kind.money} onChange={(e) => onChange({ money: e.target.checked })} />
        <label htmlFor={`kind-money-${index}`}>Money (amount given with each offer)</label>
      </div>
      {kind.money ? null : (
        <TextField
          label={`Value of one (${currency || 'currency'})`}
          inputMode="decimal"
          value={kind.value}
          onChange={(e) => onChange({ value: e.target.value })}
          error={errors[`kinds.${index}.valueMinor`]}
          hint="Counts against limits and budgets"
        />
      )}
      <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${name}`}>
        Remove
      </Button>
    </fieldset>
  );
}

function GoodwillForm({ saved }: { saved: GoodwillSettingsResponse }) {
  const save = useSaveGoodwillSettings();
  const [draft, setDraft] = useState<GoodwillDraft>(() => draftOf(saved));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [done, setDone] = useState(false);
  const patch = (p: Partial<GoodwillDraft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setDone(false);
  };
  const patchKind = (i: number, p: Partial<KindDraft>) => patch({ kinds: draft.kinds.map((k, j) => (j === i ? { ...k, ...p } : k)) });
  const shown = { ...serverErrors(save.error), ...errors };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const { settings, errors: found } = settingsOf(draft);
    setErrors(found);
    if (!settings) return;
    save.mutate({ version: saved.version, settings }, { onSuccess: (s) => {
        setDraft(draftOf(s));
        setDone(true);
      }, });
  };
  const count = Object.keys(shown).length;
  return (
    <form className="goodwill-settings" aria-label="Goodwill settings" noValidate onSubmit={onSubmit}>
      {count ? (
        <p className="sr-only" role="alert">
          Please correct {count} {count === 1 ? 'field' : 'fields'}.
        </p>
      ) : null}
      <TextField
        label="Currency (ISO 4217)"
        value={draft.currency}
        maxLength={3}
        autoCapitalize="characters"
        onChange={(e) => patch({ currency: e.target.value.toUpperCase() })}
        error={shown.currency}
        hint="e.g. EUR, USD; every kind is valued in it"
      />
      <fieldset className="fieldset form-grid">
        <legend>Empowerment limit per case, by role ({draft.currency})</legend>
        {GOODWILL_ROLES.map((r) => (
          <TextField
            key={r}
            label={humanize(r)}
            inputMode="decimal"
            value={draft.limits[r]}
            onChange={(e) => patch({ limits: { ...draft.limits, [r]: e.target.value } })}
            error={shown[`limits.${r}`]}
          />
        ))}
      </fieldset>
      <TextField
        label={`Compensation ladder (${draft.currency}, ascending)`}
        value={draft.ladder}
        onChange={(e) => patch({ ladder: e.target.value })}
        error={shown.ladder}
        hint="Offer → raise → own limit → a manager’s approval, e.g. 100, 150, 200, 500"
      />
      <h3>Kinds of goodwill</h3>
      {shown.kinds ? <Alert title="Kinds">{shown.kinds}</Alert> : null}
      <div className="goodwill-kinds">
        {draft.kinds.map((k, i) => (
          <KindRow
            key={k.key || `new-${i}`}
            kind={k}
            index={i}
            currency={draft.currency}
            errors={shown}
            onChange={(p) => patchKind(i, p)}
            onRemove={() => patch({ kinds: draft.kinds.filter((_, j) => j !== i) })}
          />
        ))}
      </div>
      <Button size="sm" variant="secondary" onClick={() => patch({ kinds: [...draft.kinds, { key: '', label: '', money: false, value: '' }] })} disabled={draft.kinds.length >= 20}>
        Add a kind
      </Button>
      <TextAreaField
        label="Options instead of a no (one per line)"
        value={draft.options}
        onChange={(v) => patch({ options: v })}
        error={shown.options}
        rows={6}
        hint="Offered in the four-step call when the promise lands after the need"
      />
      {save.isError ? <Alert title="The settings were not saved">{errorMessage(save.error)}</Alert> : null}
      {done ? (
        <p role="status" className="muted">
          Saved (version {saved.version}).
        </p>
      ) : null}
      <Button type="submit" busy={save.isPending}>
        Save goodwill settings
      </Button>
    </form>
  );
}

/** The "Goodwill" tab (managers): limits, ladder, kinds and options, then the monthly budgets per team. */
export function GoodwillSettingsPanel() {
  const settings = useGoodwillSettings();
  return (
    <>
      <section className="panel" aria-labelledby="goodwill-settings-heading">
        <h2 id="goodwill-settings-heading">Goodwill and options</h2>
        {settings.isPending ? <Spinner size="md" label="Loading goodwill settings" /> : null}
        {settings.isError ? (
          <LoadError title="Goodwill settings could not be loaded" error={settings.error} onRetry={() => void settings.refetch()} busy={settings.isFetching} />
        ) : null}
        {settings.data ? <GoodwillForm saved={settings.data} /> : null}
      </section>
      {settings.data ? <GoodwillBudgets currency={settings.data.currency} /> : null}
    </>
  );
}
