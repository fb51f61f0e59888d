import { useId, useState, type FormEvent } from 'react';
import { businessCalendarSchema, type CalendarResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useUpdateCalendar } from '../api/settings';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];

/** "09:00–12:00, 13:00–17:00" (split shifts separated by commas); empty = closed. */
export function formatPeriods(periods: [string, string][]): string {
  return periods.map(([from, to]) => `${from}–${to}`).join(', ');
}

export function parsePeriods(text: string): [string, string][] | string {
  const trimmed = text.trim();
  if (!trimmed || /^closed$/i.test(trimmed)) return [];
  const periods: [string, string][] = [];
  for (const part of trimmed.split(',')) {
    const match = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!match) return `“${part.trim()}” is not a period like 09:00–12:00`;
    const pad = (t: string) => t.padStart(5, '0');
    periods.push([pad(match[1]), pad(match[2])]);
  }
  return periods;
}

/** Edits a business calendar: zone, opening hours per weekday (split shifts), holidays. */
export function CalendarEditor({ calendar, canEdit }: { calendar: CalendarResponse; canEdit: boolean }) {
  const id = useId();
  const update = useUpdateCalendar();
  const [name, setName] = useState(calendar.name);
  const [zone, setZone] = useState(calendar.definition.timeZone);
  const [days, setDays] = useState<Record<Day, string>>(
    () => Object.fromEntries(DAYS.map(([d]) => [d, formatPeriods(calendar.definition.week[d])])) as Record<Day, string>,
  );
  const [holidays, setHolidays] = useState(calendar.definition.holidays.join('\n'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const e: Record<string, string> = {};
    const week = {} as Record<Day, [string, string][]>;
    for (const [d] of DAYS) {
      const parsed = parsePeriods(days[d]);
      if (typeof parsed === 'string') e[d] = parsed;
      else week[d] = parsed;
    }
    if (!name.trim()) e.name = 'Name the calendar';
    const holidayList = holidays.split(/\s+/).filter(Boolean);
    if (Object.keys(e).length === 0) {
      const result = businessCalendarSchema.safeParse({ timeZone: zone.trim(), week, holidays: holidayList });
      if (!result.success) {
        for (const issue of result.error.issues) {
          const [first, second] = issue.path;
          const key = first === 'week' ? String(second) : first === 'timeZone' ? 'zone' : first === 'holidays' ? 'holidays' : 'form';
          e[key] ??= issue.message;
        }
      } else {
        setErrors({});
        update.mutate({ id: calendar.id, version: calendar.version, name: name.trim(), definition: result.data }, { onSuccess: () => setSaved(true) });
        return;
      }
    }
    setErrors(e);
  };

  return (
    <form className="panel calendar-editor" onSubmit={submit} noValidate aria-label={`Calendar ${calendar.name}`}>
      <h2>{calendar.name}</h2>
      <div className="form-grid">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} disabled={!canEdit} />
        <TextField label="Time zone (IANA)" value={zone} onChange={(e) => setZone(e.target.value)} error={errors.zone} hint="e.g. Europe/Berlin" disabled={!canEdit} />
      </div>
      <fieldset className="fieldset">
        <legend className="field__label">Opening hours (split shifts separated by commas; empty = closed)</legend>
        <div className="week-grid">
          {DAYS.map(([d, label]) => (
            <TextField
              key={d}
              label={label}
              value={days[d]}
              onChange={(e) => setDays({ ...days, [d]: e.target.value })}
              error={errors[d]}
              placeholder="closed"
              disabled={!canEdit}
            />
          ))}
        </div>
      </fieldset>
      <div className={['field', errors.holidays ? 'field--invalid' : null].filter(Boolean).join(' ')}>
        <label className="field__label" htmlFor={`${id}-holidays`}>
          Holidays (one date per line, YYYY-MM-DD)
        </label>
        <textarea
          id={`${id}-holidays`}
          className="field__input field__textarea"
          rows={3}
          value={holidays}
          disabled={!canEdit}
          aria-invalid={errors.holidays ? true : undefined}
          onChange={(e) => setHolidays(e.target.value)}
        />
        {errors.holidays ? <p className="field__error">{errors.holidays}</p> : null}
      </div>
      {update.isError ? (
        <Alert title="Not saved">
          {update.error instanceof ApiError && update.error.status === 412
            ? 'Someone else changed this calendar meanwhile. It has been reloaded: check it and save again.'
            : errorMessage(update.error)}
        </Alert>
      ) : null}
      {saved ? <Alert tone="info">Saved. Time left on open cases follows the new hours.</Alert> : null}
      {canEdit ? (
        <div>
          <Button type="submit" busy={update.isPending}>
            Save calendar
          </Button>
        </div>
      ) : null}
    </form>
  );
}
