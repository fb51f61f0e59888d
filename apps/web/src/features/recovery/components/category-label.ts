import type { RootCauseCategory } from '@kept/domain';

/** How each root-cause category reads on screen. */
export const CATEGORY_LABEL: Record<RootCauseCategory, string> = {
  parts: 'Parts',
  travel: 'Travel',
  diagnosis_longer: 'Diagnosis longer than planned',
  estimate_too_short: 'Estimate too short',
  scheduling: 'Scheduling',
  customer_unavailable: 'Customer unavailable',
  other: 'Other',
};
