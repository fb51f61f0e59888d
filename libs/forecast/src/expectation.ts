import type { ForecastModel } from './model';

/** Where an expected time comes from, strongest evidence first (names as in @kept/contracts). */
export type ExpectationSourceKind =
  | 'previous_experience'
  | 'tenant_history'
  | 'organizational_promise'
  | 'competitor_norm'
  | 'personnel_promise'
  | 'consumer_habits'
  | 'word_of_mouth'
  | 'stated_by_customer';

export interface ExpectationInput {
  /** Tenant segment values in the model's level order (category first). */
  values: readonly (string | undefined)[];
  customer?: string;
  /** The contract's organizational promise, as a duration. */
  contractPromiseMs?: number;
  /** Sources staff recorded, each with the duration it implies. */
  otherSources?: { source: ExpectationSourceKind; durationMs: number }[];
}

export interface ExpectationSourceFigure {
  source: ExpectationSourceKind;
  durationMs: number;
  /** Share of the expectation this source carries (0 … 1). */
  weight: number;
  /** Past cases it rests on (0 for sources that are not history). */
  n: number;
}

export interface ExpectationResult {
  /** Duration after opening when the customer expects closure; null when nothing is known. */
  expectedMs: number | null;
  dominatingSource: ExpectationSourceKind | null;
  /** Past cases the dominating source rests on. */
  n: number;
  effectiveN: number;
  sources: ExpectationSourceFigure[];
}

/**
 * What the customer expects: the median of her own previous cases of the category, shrunk toward the
 * tenant's distribution for the category with the same empirical-Bayes strength κ as the recommender
 * (her own history dominates once her effective case count exceeds κ); without any history, the
 * contract's organizational promise; without that, what staff recorded (a customer's own statement first).
 */
export function expectation(model: ForecastModel, input: ExpectationInput): ExpectationResult {
  const path = model.pathOf(input.values, input.customer);
  const L = model.levels.length;
  const tenantLeaf = path[L];
  const sources: ExpectationSourceFigure[] = [];
  const tenantSize = model.nodeSize(tenantLeaf);
  const hasHistory = model.hasData() && model.nodeSize(0).count > 0;
  let expectedMs: number | null = null;
  let dominating: ExpectationSourceKind | null = null;
  let n = 0;
  let effectiveN = 0;

  if (hasHistory) {
    const tenantMs = model.quantileAt(tenantLeaf, 0.5).ms;
    if (path.length > L + 1) {
      const cust = path[L + 1];
      const size = model.nodeSize(cust);
      const kappa = model.nodeLevelStrength(cust);
      const w = size.neff / (size.neff + kappa);
      if (size.count > 0) {
        const ms = model.quantileAt(cust, 0.5).ms;
        sources.push({ source: 'previous_experience', durationMs: ms, weight: w, n: size.count });
        sources.push({ source: 'tenant_history', durationMs: tenantMs, weight: 1 - w, n: tenantSize.count });
        expectedMs = ms;
        const own = w >= 0.5;
        dominating = own ? 'previous_experience' : 'tenant_history';
        n = own ? size.count : tenantSize.count;
        effectiveN = own ? size.neff : tenantSize.neff;
      }
    }
    if (expectedMs === null) {
      sources.push({ source: 'tenant_history', durationMs: tenantMs, weight: 1, n: tenantSize.count });
      expectedMs = tenantMs;
      dominating = 'tenant_history';
      n = tenantSize.count;
      effectiveN = tenantSize.neff;
    }
  }
  if (input.contractPromiseMs !== undefined) {
    const first = expectedMs === null;
    sources.push({ source: 'organizational_promise', durationMs: input.contractPromiseMs, weight: first ? 1 : 0, n: 0 });
    if (first) {
      expectedMs = input.contractPromiseMs;
      dominating = 'organizational_promise';
    }
  }
  const others = [...(input.otherSources ?? [])].sort((a, b) => (a.source === 'stated_by_customer' ? -1 : b.source === 'stated_by_customer' ? 1 : 0));
  for (const o of others) {
    const first = expectedMs === null;
    sources.push({ source: o.source, durationMs: o.durationMs, weight: first ? 1 : 0, n: 0 });
    if (first) {
      expectedMs = o.durationMs;
      dominating = o.source;
    }
  }
  return { expectedMs, dominatingSource: dominating, n, effectiveN: Math.round(effectiveN * 10) / 10, sources };
}
