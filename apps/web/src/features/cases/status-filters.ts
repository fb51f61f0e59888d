import type { CaseStatus } from '@kept/contracts';

export interface StatusFilter {
  /** The value used in the page URL (`?status=`), also the API's comma-separated list. */
  value: string;
  label: string;
  /** How sentences name the cases it shows: "There are no paused cases right now." */
  noun: string;
  statuses: readonly CaseStatus[] | null;
}

export const STATUS_FILTERS: readonly StatusFilter[] = [
  { value: 'open,paused', label: 'All open', noun: 'open or paused cases', statuses: ['open', 'paused'] },
  { value: 'open', label: 'Open', noun: 'open cases', statuses: ['open'] },
  { value: 'paused', label: 'Paused', noun: 'paused cases', statuses: ['paused'] },
  { value: 'fixed', label: 'Fixed', noun: 'fixed cases', statuses: ['fixed'] },
  { value: 'satisfied', label: 'Satisfied', noun: 'satisfied cases', statuses: ['satisfied'] },
  { value: 'cancelled', label: 'Cancelled', noun: 'cancelled cases', statuses: ['cancelled'] },
  { value: 'any', label: 'Any status', noun: 'cases', statuses: null },
];

export const DEFAULT_STATUS_FILTER = STATUS_FILTERS[0];

/** The filter named by a URL value; unknown or missing values fall back to "All open". */
export function statusFilterFor(value: string | null): StatusFilter {
  return STATUS_FILTERS.find((filter) => filter.value === value) ?? DEFAULT_STATUS_FILTER;
}
