import { formatDuration, fromLocalInputValue } from '@/lib/format';
import { STEP_LABEL, type StepKey } from './promise-plan';

/** "Analyzer down" → "analyzer down", to continue a sentence. */
export function lowerFirst(text: string): string {
  return text ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/**
 * Step 1's read-back: "You need “Analyzer shows E-42” resolved by Mon 4:00 PM, within the next 2 h 10 min,
 * because … — right?". Null until the problem and a valid need instant are filled in.
 */
export function readBack(
  state: { summary: string; requiredAt: string; context: string },
  now: Date,
  format: (iso: string) => string,
): string | null {
  const iso = fromLocalInputValue(state.requiredAt);
  if (!iso || !state.summary.trim()) return null;
  const minutes = (new Date(iso).getTime() - now.getTime()) / 60_000;
  const within = minutes > 0 ? `, within the next ${formatDuration(minutes)}` : '';
  const because = state.context.trim() ? ` because ${lowerFirst(state.context.trim().replace(/[.!]+$/, ''))}` : '';
  return `You need “${state.summary.trim()}” resolved by ${format(iso)}${within}${because} — right?`;
}

/**
 * Step 4's drafted message: "Erik, I promised <customer> “<problem>” resolved by <promise> at the latest:
 * arrival by …, diagnosis by …. Offered: …. Call me when you have run the first successful test."
 */
export function engineerMessage({
  engineer,
  customer,
  summary,
  promisedAt,
  plan,
  offered,
  format,
}: {
  engineer: { name: string } | null;
  customer: { name: string } | null;
  summary: string;
  promisedAt: Date;
  plan: { key: StepKey; endsAt: Date }[] | null;
  offered: string[];
  format: (iso: string) => string;
}): string {
  const steps = plan?.map((p) => `${STEP_LABEL[p.key].toLowerCase()} by ${format(p.endsAt.toISOString())}`).join(', ');
  const name = engineer?.name.split(' ')[0] ?? 'Engineer';
  const options = offered.length ? ` Offered: ${offered.join('; ')}.` : '';
  return `${name}, I promised ${customer?.name ?? 'the customer'} “${summary.trim()}” resolved by ${format(
    promisedAt.toISOString(),
  )} at the latest: ${steps}.${options} Call me when you have run the first successful test.`;
}
