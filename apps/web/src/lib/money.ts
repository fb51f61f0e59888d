/** Minor units (cents) → "150.00 EUR" in the viewer's locale. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * "150" or "150.50" (major units, as typed) → minor units; null when not an amount with at most two decimals
 * and eight digits, or when it is zero and zero is not allowed (an offer is never zero; a limit may be).
 */
export function parseMajor(text: string, { allowZero = false }: { allowZero?: boolean } = {}): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(t)) return null;
  const minor = Math.round(Number(t) * 100);
  return minor > 0 || (allowZero && minor === 0) ? minor : null;
}

/** Minor units → the major amount as one types it: 15000 → "150", 15050 → "150.50". */
export const toMajorText = (minor: number) => (minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2));
