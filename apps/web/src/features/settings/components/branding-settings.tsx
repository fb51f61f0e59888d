import { useState, type FormEvent } from 'react';
import type { OrganizationSettings } from '@kept/contracts';
import { accentContrast, isHexColour, WCAG_AA_NORMAL_TEXT } from '@kept/domain';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { logoProblem, useOrganizationSettings, useRemoveLogo, useUpdateOrganizationSettings, useUploadLogo } from '../api/branding';

/** Kept's own accent on the customer's page when the organization sets none. */
const DEFAULT_ACCENT = '#1f3a5f';

const fieldErrorsOf = (error: unknown): Record<string, string> =>
  Object.fromEntries((error instanceof ApiError ? (error.problem?.errors ?? []) : []).map((e) => [e.path, e.message]));

function ContrastReadout({ accent }: { accent: string }) {
  if (!isHexColour(accent)) return null;
  const c = accentContrast(accent);
  const mark = (ratio: number) => (ratio >= WCAG_AA_NORMAL_TEXT ? '✓ AA' : '✗ below AA');
  // The ratios are plain readable text; only a combination that passes is shown as a sample.
  return (
    <div className="branding__contrast" aria-live="polite">
      <span className="branding__swatch" style={{ background: accent }} aria-hidden="true" />
      <ul className="branding__ratios">
        <li>
          White text on it, and it as text on white: {c.withWhite.toFixed(2)} : 1 {mark(c.withWhite)}
        </li>
        <li>
          Black text on it: {c.withBlack.toFixed(2)} : 1 {mark(c.withBlack)}
        </li>
      </ul>
      {c.meetsAA ? (
        <p className="branding__sample">
          On her page: <span style={{ background: accent, color: '#fff' }}>Yes, I am satisfied</span>{' '}
          <span style={{ color: accent, borderColor: accent }}>Decline</span>
        </p>
      ) : null}
      <p className={c.meetsAA ? 'branding__verdict branding__verdict--ok' : 'branding__verdict branding__verdict--bad'}>
        {c.meetsAA
          ? `✓ Meets WCAG AA (${WCAG_AA_NORMAL_TEXT} : 1) for the white text on the customer's page.`
          : `✗ Below WCAG AA: white text needs at least ${WCAG_AA_NORMAL_TEXT} : 1. Choose a darker colour.`}
      </p>
    </div>
  );
}

function BrandingForm({ settings, onSaved }: { settings: OrganizationSettings; onSaved: (version: number) => void }) {
  const [name, setName] = useState(settings.name);
  const [accent, setAccent] = useState(settings.accentColor ?? DEFAULT_ACCENT);
  const [language, setLanguage] = useState(settings.defaultLanguage);
  const [emails, setEmails] = useState(settings.customerEmails);
  const save = useUpdateOrganizationSettings();
  const serverErrors = fieldErrorsOf(save.error);
  const accentError = !isHexColour(accent)
    ? 'Use the form #rrggbb.'
    : !accentContrast(accent).meetsAA
      ? `Contrast with white text is below ${WCAG_AA_NORMAL_TEXT} : 1.`
      : serverErrors.accentColor;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (accentError || !name.trim()) return;
    save.mutate(
      {
        version: settings.version,
        name: name.trim(),
        accentColor: accent.toLowerCase() === DEFAULT_ACCENT && settings.accentColor === null ? null : accent,
        defaultLanguage: language,
        customerEmails: emails,
      },
      { onSuccess: (next) => onSaved(next.version) },
    );
  };

  return (
    <form aria-label="Branding" className="branding" noValidate onSubmit={submit}>
      <TextField label="Organization name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} error={!name.trim() ? 'Enter a name.' : serverErrors.name} hint="Shown to customers on the status page and in e-mails." />
      <div className="branding__accent">
        <label className="field__label" htmlFor="brand-accent-picker">
          Accent colour
        </label>
        <div className="branding__accent-row">
          <input id="brand-accent-picker" type="color" value={isHexColour(accent) ? accent.toLowerCase() : DEFAULT_ACCENT} onChange={(e) => setAccent(e.target.value)} aria-describedby="brand-accent-help" />
          <TextField label="Accent colour (hex)" value={accent} onChange={(e) => setAccent(e.target.value.trim())} error={accentError} maxLength={7} spellCheck={false} />
        </div>
        <p id="brand-accent-help" className="muted">
          Used for headings, buttons and badges on the customer's status page, with white text on it.
        </p>
        <ContrastReadout accent={accent} />
      </div>
      <SelectField label="Default language of new customers" value={language} onChange={(v) => setLanguage(v as 'en' | 'de')} hint="Each customer can have her own; this is the default.">
        <option value="en">English</option>
        <option value="de">Deutsch</option>
      </SelectField>
      <div className="check-field">
        <input id="brand-emails" type="checkbox" checked={emails} onChange={(e) => setEmails(e.target.checked)} />
        <label htmlFor="brand-emails">E-mail customers when the promise changes, the engineer is on the way and the fix is done</label>
      </div>
      <p className="muted">Each e-mail carries her status link and an unsubscribe link; she can stop them at any time.</p>
      {save.isError && !Object.keys(serverErrors).length ? <Alert title="Not saved">{errorMessage(save.error)}</Alert> : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save branding'}
      </Button>
    </form>
  );
}

function LogoSettings({ settings }: { settings: OrganizationSettings }) {
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useUploadLogo();
  const remove = useRemoveLogo();
  const onFile = (file: File | undefined) => {
    if (!file) return;
    const why = logoProblem(file);
    setProblem(why);
    if (!why) upload.mutate(file);
  };
  return (
    <section className="branding__logo" aria-labelledby="brand-logo-heading">
      <h3 id="brand-logo-heading">Logo</h3>
      <p>
        {settings.logo
          ? `Current logo: ${settings.logo.contentType.replace('image/', '').toUpperCase()}, ${Math.ceil(settings.logo.size / 1024)} KB.`
          : 'No logo yet: the status page shows the organization name.'}
      </p>
      <div className="field">
        <label className="field__label" htmlFor="brand-logo-file">
          Upload a logo (PNG, JPEG or WebP, at most 256 KB)
        </label>
        <input id="brand-logo-file" type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => onFile(e.target.files?.[0])} aria-describedby={problem ? 'brand-logo-problem' : undefined} />
      </div>
      {problem ? (
        <p id="brand-logo-problem" className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      {upload.isPending ? <Spinner size="sm" label="Uploading the logo" /> : null}
      {upload.isError ? <Alert title="The logo was not saved">{errorMessage(upload.error)}</Alert> : null}
      {upload.isSuccess && !problem ? <Alert tone="info">Logo saved.</Alert> : null}
      {settings.logo ? (
        <Button variant="secondary" size="sm" onClick={() => remove.mutate()} disabled={remove.isPending}>
          Remove the logo
        </Button>
      ) : null}
    </section>
  );
}

/** Admins: the organization's name, accent colour (WCAG AA checked), logo, default language and customer e-mails. */
export function BrandingSettings() {
  const query = useOrganizationSettings();
  // The form starts afresh from each saved version; the confirmation outlives it.
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  if (query.isPending) return <Spinner size="md" label="Loading the branding" />;
  if (query.isError) return <Alert title="The branding could not be loaded">{errorMessage(query.error)}</Alert>;
  return (
    <div className="branding-settings">
      <h2>Branding and customer e-mails</h2>
      {savedVersion !== null && savedVersion === query.data.version ? <Alert tone="info">Saved. The status page uses the new branding now.</Alert> : null}
      <BrandingForm key={query.data.version} settings={query.data} onSaved={setSavedVersion} />
      <LogoSettings settings={query.data} />
    </div>
  );
}
