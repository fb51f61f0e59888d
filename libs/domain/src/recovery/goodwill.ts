/**
 * Goodwill rules: what an employee may give on the spot, when an offer needs an approval, who may approve it,
 * and which step of the tenant's compensation ladder to suggest next. Amounts are integers in minor units
 * (cents) of one currency; the callers make sure the amounts they compare share it.
 */

export type OfferDecision =
  | { state: 'given' }
  | { state: 'approval_requested'; because: 'above_limit' | 'above_budget' | 'other_currency' };

export interface OfferCheck {
  valueMinor: number;
  /** The offerer's own per-case limit, minus what she already gave on this case. */
  limitLeftMinor: number;
  /** What is left of her team's budget this month; null when the team has no budget (no budget, no cap). */
  budgetLeftMinor: number | null;
  /** False when the offer is not in the budget's currency: then it cannot be checked and needs an approval. */
  sameCurrency: boolean;
}

/** An offer is given at once only within both the offerer's limit and the team's remaining budget. */
export function decideOffer(c: OfferCheck): OfferDecision {
  if (!c.sameCurrency) return { state: 'approval_requested', because: 'other_currency' };
  if (c.valueMinor > c.limitLeftMinor) return { state: 'approval_requested', because: 'above_limit' };
  if (c.budgetLeftMinor !== null && c.valueMinor > c.budgetLeftMinor) return { state: 'approval_requested', because: 'above_budget' };
  return { state: 'given' };
}

export type ApprovalRefusal = 'self_approval' | 'above_own_limit';

/** Only somebody else whose own per-case limit covers the whole offer may approve it. */
export function approvalRefusal(a: { approverId: string; offeredBy: string | null; approverLimitMinor: number; valueMinor: number }): ApprovalRefusal | null {
  if (a.offeredBy !== null && a.approverId === a.offeredBy) return 'self_approval';
  if (a.valueMinor > a.approverLimitMinor) return 'above_own_limit';
  return null;
}

export interface LadderSuggestion {
  /** The suggested amount of the next offer, in minor units; null when the ladder is exhausted. */
  valueMinor: number | null;
  /** Index of the step in the ladder (0-based); null when exhausted. */
  step: number | null;
  /** True when that step lies above the offerer's limit: it will need a manager's approval. */
  needsApproval: boolean;
  why: string;
}

/**
 * The next step of the ladder for a case. Nothing is suggested for a case that was kept with a calm customer;
 * otherwise the first step above what was already given, skipping one step more when the miss was long
 * (over 4 hours) and one more when the customer was very stressed (4–5 on the 1–5 scale): a bigger miss for a
 * more stressed customer starts higher.
 */
export function suggestNextStep(s: {
  ladderMinor: readonly number[];
  givenMinor: number;
  /** Minutes the promise or the need was (or is being) missed by; 0 or less when nothing is missed. */
  gapMinutes: number;
  stressLevel: number | null;
  limitMinor: number;
}): LadderSuggestion {
  const ladder = [...s.ladderMinor].sort((a, b) => a - b);
  const stressed = (s.stressLevel ?? 0) >= 4;
  if (s.gapMinutes <= 0 && !stressed) return { valueMinor: null, step: null, needsApproval: false, why: 'Nothing missed and the customer is calm: no goodwill needed' };
  let step = ladder.findIndex((v) => v > s.givenMinor);
  if (step < 0) return { valueMinor: null, step: null, needsApproval: false, why: 'The ladder is exhausted: ask a manager' };
  const reasons: string[] = [s.gapMinutes > 0 ? `missed by ${Math.round(s.gapMinutes)} min` : 'not missed yet'];
  // Only the first offer jumps: later ones climb one step at a time.
  if (s.givenMinor === 0) {
    if (s.gapMinutes > 240) {
      step += 1;
      reasons.push('long miss');
    }
    if (stressed) {
      step += 1;
      reasons.push(`stress ${s.stressLevel}`);
    }
  }
  step = Math.min(step, ladder.length - 1);
  const valueMinor = ladder[step];
  return { valueMinor, step, needsApproval: valueMinor > s.limitMinor, why: reasons.join(', ') };
}
