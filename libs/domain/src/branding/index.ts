export { accentContrast, contrastRatio, isHexColour, relativeLuminance, WCAG_AA_NORMAL_TEXT } from './contrast';
export type { AccentContrast } from './contrast';
