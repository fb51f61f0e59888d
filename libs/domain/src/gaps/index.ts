export type { Verdict } from './verdict';
export { verdict } from './verdict';
export type { CaseGaps, FourTimes, Gap } from './gaps';
export { computeGaps, gapBetween } from './gaps';
