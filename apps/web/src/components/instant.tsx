import { formatInstantLong, formatInstantParts, type FormatOptions } from '@/lib/format';

/** A date and time in a table cell; "—" (read as "Not set") when there is none. */
export function Instant({ value, options }: { value: string | null; options: FormatOptions }) {
  const parts = formatInstantParts(value, options);
  if (!value || !parts) {
    return (
      <span className="cell-empty">
        <span aria-hidden="true">—</span>
        <span className="sr-only">Not set</span>
      </span>
    );
  }
  return (
    <time className="instant" dateTime={value} title={formatInstantLong(value, options) ?? undefined}>
      <span className="instant__date">{parts.date}</span>
      <span className="instant__sep">, </span>
      <span className="instant__time">{parts.time}</span>
    </time>
  );
}
