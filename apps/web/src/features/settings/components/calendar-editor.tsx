import { useId, useState, type FormEvent } from 'react';
import { businessCalendarSchema, type CalendarResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { TimeZoneSelect } from '@/components/ui/time-zone-select';
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
type Period = [string, string];

/** A new shift after the last one of the day (or 09:00–17:00 on a closed day), clamped to the day. */
export function nextShift(periods: Period[]): Period {
  const last = periods.at(-1);
  if (!last) return ['09:00', '17:00'];
  const [h, m] = last[1].split(':').map(Number);
  const start = Math.min(h * 60 + m + 60, 23 * 60);
  const end = Math.min(start + 240, 24 * 60);
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return [hhmm(start), hhmm(end)];
}

/** The shifts of one weekday: each a pair of time pickers, with add and remove. */
function DayShifts({
  label,
  periods,
  onChange,
  error,
  disabled,
}: {
  label: string;
  periods: Period[];
  onChange: (periods: Period[]) => void;
  error?: string;
  disabled: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const setAt = (index: number, at: 0 | 1, value: string) =>
    onChange(periods.map((p, i) => (i === index ? ((at === 0 ? [value, p[1]] : [p[0], value]) as Period) : p)));
  return (
    <fieldset className={['day-shifts', error ? 'field--invalid' : null].filter(Boolean).join(' ')} aria-describedby={error ? errorId : undefined}>
      <legend className="day-shifts__day">{label}</legend>
      <div className="day-shifts__list">
        {periods.length === 0 ? <span className="day-shifts__closed">Closed</span> : null}
        {periods.map(([from, to], i) => (
          <div key={i} className="day-shifts__shift">
            <label className="sr-only" htmlFor={`${id}-${i}-from`}>
              {label} shift {i + 1} opens
            </label>
            <input id={`${id}-${i}-from`} className="field__input day-shifts__time" type="time" value={from} disabled={disabled} onChange={(e) => setAt(i, 0, e.target.value)} />
            <span aria-hidden="true">–</span>
            <label className="sr-only" htmlFor={`${id}-${i}-to`}>
              {label} shift {i + 1} closes
            </label>
            <input
              id={`${id}-${i}-to`}
              className="field__input day-shifts__time"
              type="time"
              // A time picker cannot show 24:00 (the end of the day): it shows 23:59, and 23:59 is saved as 24:00.
              value={to === '24:00' ? '23:59' : to}
              disabled={disabled}
              onChange={(e) => setAt(i, 1, e.target.value === '23:59' ? '24:00' : e.target.value)}
            />
            {disabled ? null : (
              <Button variant="ghost" size="sm" onClick={() => onChange(periods.filter((_, j) => j !== i))}>
                Remove<span className="sr-only"> {label} shift {i + 1}</span>
              </Button>
            )}
          </div>
        ))}
        {disabled ? null : (
          <Button variant="secondary" size="sm" onClick={() => onChange([...periods, nextShift(periods)])}>
            Add shift<span className="sr-only"> on {label}</span>
          </Button>
        )}
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Edits a business calendar: zone (a picker), opening hours per weekday (time pickers, split shifts), holidays (date pickers). */
export function CalendarEditor({ calendar, canEdit }: { calendar: CalendarResponse; canEdit: boolean }) {
  const update = useUpdateCalendar();
  const [name, setName] = useState(calendar.name);
  const [zone, setZone] = useState(calendar.definition.timeZone);
  const [week, setWeek] = useState<Record<Day, Period[]>>(
    () => Object.fromEntries(DAYS.map(([d]) => [d, calendar.definition.week[d].map((p) => [...p] as Period)])) as Record<Day, Period[]>,
  );
  const [holidays, setHolidays] = useState<string[]>(calendar.definition.holidays);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = 'Name the calendar';
    for (const [d] of DAYS) if (week[d].some(([from, to]) => !from || !to)) e[d] = 'Give each shift an opening and a closing time';
    if (holidays.some((h) => !h)) e.holidays = 'Pick a date for each holiday, or remove it';
    if (Object.keys(e).length === 0) {
      const result = businessCalendarSchema.safeParse({ timeZone: zone, week, holidays: [...new Set(holidays)].sort() });
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
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} disabled={!canEdit} required />
        <TimeZoneSelect label="Time zone" value={zone} onChange={setZone} error={errors.zone} disabled={!canEdit} required />
      </div>
      <fieldset className="fieldset">
        <legend className="field__label">Opening hours (add a second shift for a split day; no shift = closed; closing at 11:59 PM means until midnight)</legend>
        <div className="week-shifts">
          {DAYS.map(([d, label]) => (
            <DayShifts key={d} label={label} periods={week[d]} onChange={(p) => setWeek({ ...week, [d]: p })} error={errors[d]} disabled={!canEdit} />
          ))}
        </div>
      </fieldset>
      <fieldset className={['fieldset', errors.holidays ? 'field--invalid' : null].filter(Boolean).join(' ')}>
        <legend className="field__label">Holidays (closed all day)</legend>
        <ul className="holiday-list">
          {holidays.map((h, i) => (
            <li key={i} className="holiday-list__item">
              <label className="sr-only" htmlFor={`${calendar.id}-holiday-${i}`}>
                Holiday {i + 1}
              </label>
              <input
                id={`${calendar.id}-holiday-${i}`}
                className="field__input holiday-list__date"
                type="date"
                value={h}
                disabled={!canEdit}
                onChange={(e) => setHolidays(holidays.map((x, j) => (j === i ? e.target.value : x)))}
              />
              {canEdit ? (
                <Button variant="ghost" size="sm" onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}>
                  Remove<span className="sr-only"> holiday {h || i + 1}</span>
                </Button>
              ) : null}
            </li>
          ))}
          {holidays.length === 0 ? <li className="muted">No holidays.</li> : null}
        </ul>
        {canEdit ? (
          <Button variant="secondary" size="sm" onClick={() => setHolidays([...holidays, ''])}>
            Add holiday
          </Button>
        ) : null}
        {errors.holidays ? (
          <p className="field__error">
            <span aria-hidden="true">⚠ </span>
            {errors.holidays}
          </p>
        ) : null}
      </fieldset>
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
