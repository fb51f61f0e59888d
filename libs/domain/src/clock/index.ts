export type { CaseClock } from './case-clock';
export { caseClock } from './case-clock';
