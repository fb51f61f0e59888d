import type { AnalyticsSummaryResponse, CalibrationBin } from '@kept/contracts';

const pct = (x: number) => `${Math.round(x * 100)} %`;

export interface Headline {
  /** The one sentence that matters, e.g. "88 % of promises kept, but 28 % of needs missed". */
  text: string;
  /** Whether it is good news: the keep-rate meets the target and no need was missed. */
  tone: 'good' | 'bad';
  /** What it rests on: how many promises and needs. */
  basis: string;
  /** The forecast's worst-calibrated bin, when the gap is more than chance at its sample size. */
  calibration: string | null;
}

/**
 * The headline of the analytics page: the keep-rate of the promises decided in the period against the
 * target, and the share of needs missed — a promise kept after the customer's need is still a customer
 * let down, so the two are said together.
 */
export function analyticsHeadline(data: Pick<AnalyticsSummaryResponse, 'totals' | 'targetKeepRate' | 'calibration'>): Headline | null {
  const { kept, missed, needMet, needMissed } = data.totals;
  const promises = kept + missed;
  if (promises === 0) return null;
  const keep = kept / promises;
  const needs = needMet + needMissed;
  const needMissedRate = needs > 0 ? needMissed / needs : 0;
  const onTarget = keep >= data.targetKeepRate;
  let text = onTarget ? `${pct(keep)} of promises kept` : `Only ${pct(keep)} of promises kept (target ${pct(data.targetKeepRate)})`;
  if (needs > 0) {
    if (needMissed === 0) text += ', and every need met';
    else text += onTarget ? `, but ${pct(needMissedRate)} of needs missed` : `, and ${pct(needMissedRate)} of needs missed`;
  }
  const basis = `From ${promises.toLocaleString('en')} decided ${promises === 1 ? 'promise' : 'promises'}${
    needs > 0 ? ` and ${needs.toLocaleString('en')} ${needs === 1 ? 'case' : 'cases'} with a recorded need` : ''
  }; target keep-rate ${pct(data.targetKeepRate)}.`;
  return { text, tone: onTarget && needMissed === 0 ? 'good' : 'bad', basis, calibration: calibrationNote(data.calibration) };
}

/** Fewer promises than this in a bin make no headline, whatever its interval says. */
const HEADLINE_MIN_PROMISES = 20;

/**
 * The bin of at least {@link HEADLINE_MIN_PROMISES} promises whose promised keep-probability lies outside
 * the 95 % interval of its observed keep-rate, furthest off, in words (null when none).
 */
function calibrationNote(bins: CalibrationBin[]): string | null {
  let worst: { bin: CalibrationBin; gap: number } | null = null;
  for (const bin of bins) {
    if (bin.predicted === null || bin.observed === null || !bin.interval || bin.promises < HEADLINE_MIN_PROMISES) continue;
    const outside = bin.predicted > bin.interval.high || bin.predicted < bin.interval.low;
    const gap = Math.abs(bin.predicted - bin.observed);
    if (outside && (!worst || gap > worst.gap)) worst = { bin, gap };
  }
  if (!worst) return null;
  const b = worst.bin;
  const direction = (b.predicted ?? 0) > (b.observed ?? 0) ? 'over-promise' : 'under-promise';
  return `The forecasts ${direction}: promises given ${pct(b.predicted ?? 0)} on average were kept ${pct(b.observed ?? 0)} of the time (${Math.round(
    (b.interval?.low ?? 0) * 100,
  )}–${pct(b.interval?.high ?? 0)}, ${b.promises} promises).`;
}
