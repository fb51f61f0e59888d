/**
 * WCAG 2.x contrast of a tenant's accent colour. The customer's status page sets white text on the accent
 * (badges, the main buttons) and the accent as text on white (headings, links, outlined buttons), so an
 * accent is usable only if it reaches AA for normal text (4.5 : 1) against white. Black text is reported
 * as well, for the admin's information.
 */
export const WCAG_AA_NORMAL_TEXT = 4.5;

const HEX = /^#([0-9a-f]{6})$/i;

export const isHexColour = (value: string): boolean => HEX.test(value);

/** Relative luminance (WCAG 2.x definition) of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const m = HEX.exec(hex);
  if (!m) throw new RangeError(`Not a #rrggbb colour: ${hex}`);
  const channel = (i: number) => {
    const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export interface AccentContrast {
  /** Contrast of white text on the accent (and of the accent as text on white). */
  withWhite: number;
  withBlack: number;
  /** Whether the status page can use it: AA against white. */
  meetsAA: boolean;
}

export function accentContrast(hex: string): AccentContrast {
  const withWhite = contrastRatio(hex, '#ffffff');
  const withBlack = contrastRatio(hex, '#000000');
  return { withWhite, withBlack, meetsAA: withWhite >= WCAG_AA_NORMAL_TEXT };
}
