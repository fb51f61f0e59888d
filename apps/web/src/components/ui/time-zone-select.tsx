import { useMemo } from 'react';
import { SelectField } from './select-field';

/** The IANA zones this browser knows, UTC first; a value it does not list (an old alias) is kept too. */
export function timeZoneOptions(current?: string): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = ['UTC', ...supported.filter((z) => z !== 'UTC')];
  if (current && !zones.includes(current)) zones.splice(1, 0, current);
  return zones;
}

export interface TimeZoneSelectProps {
  label: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  hint?: string;
  disabled?: boolean;
  required?: boolean;
}

/** A zone picker: the IANA zones as a labelled select (no free text to mistype), grouped by region. */
export function TimeZoneSelect({ label, value, onChange, error, hint, disabled, required }: TimeZoneSelectProps) {
  const groups = useMemo(() => {
    const byRegion = new Map<string, string[]>();
    for (const zone of timeZoneOptions(value)) {
      const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Other';
      byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
    }
    return [...byRegion];
  }, [value]);
  return (
    <SelectField label={label} value={value} onChange={onChange} error={error} hint={hint} disabled={disabled} required={required}>
      {groups.map(([region, zones]) => (
        <optgroup key={region} label={region}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}
