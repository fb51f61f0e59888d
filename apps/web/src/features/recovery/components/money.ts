/** Minor units (cents) → "150.00 EUR" in the viewer's locale. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** "150" or "150.50" (major units, as typed) → minor units; null when not a positive amount with at most two decimals. */
export function parseMajor(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(t)) return null;
  const minor = Math.round(Number(t) * 100);
  return minor > 0 ? minor : null;
}
