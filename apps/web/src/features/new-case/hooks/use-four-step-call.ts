import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ExpectationSource, Priority } from '@kept/contracts';
import { ApiError } from '@/lib/api-client';
import { formatInstant, fromLocalInputValue, humanize } from '@/lib/format';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useCalendar, useContracts, useCustomers, useEngineers, useOfferOptions, useOpenCase, useRecommendation, useSites } from '../api/reference-data';
import { breakdownFromContract, breakdownFromRecommendation, planTimes, sameBreakdown, STEPS, totalMinutes, type Breakdown } from '../components/promise-plan';
import { engineerMessage } from '../components/call-text';

/** What the dispatcher has typed and chosen so far, across the four steps. */
export interface CallState {
  customerId: string;
  siteId: string;
  category: string;
  priority: Priority;
  summary: string;
  requiredAt: string;
  context: string;
  confirmed: boolean;
  stressLevel: number | null;
  expectedAt: string;
  expectationSource: ExpectationSource | '';
  otherSources: ExpectationSource[];
  engineerId: string;
  etaMinutes: string;
  partsNote: string;
  /** The dispatcher's own breakdown; null while it follows the recommendation or the contract. */
  breakdown: Breakdown | null;
  /** Options offered instead of a no (the tenant's list, the recommender's, her own free text)… */
  options: string[];
  /** …free-text options the dispatcher added… */
  extraOptions: string[];
  /** …and the one she chose ('' while undecided). */
  chosenOption: string;
  accepted: boolean;
  message: string;
}

/** Field → validation message; only the fields of the step last attempted. */
export type CallErrors = Record<string, string>;

const INITIAL: CallState = {
  customerId: '',
  siteId: '',
  category: '',
  priority: 'normal',
  summary: '',
  requiredAt: '',
  context: '',
  confirmed: false,
  stressLevel: null,
  expectedAt: '',
  expectationSource: '',
  otherSources: [],
  engineerId: '',
  etaMinutes: '',
  partsNote: '',
  breakdown: null,
  options: [],
  extraOptions: [],
  chosenOption: '',
  accepted: false,
  message: '',
};

/** The ledger keeps an option in at most 80 characters (contracts' caseOptionsRequestSchema). */
export const optionLabel = (text: string) => text.trim().slice(0, 80);

/** Instants in the call are shown in the viewer's zone, named; an unreadable one as typed. */
export const formatCallInstant = (iso: string) => formatInstant(iso) ?? iso;

/** What the engineer reads is in the site's zone (where he works), named; the viewer's when the site has none. */
export const formatSiteInstant = (siteZone: string | null | undefined) => (iso: string) =>
  formatInstant(iso, siteZone ? { timeZone: siteZone } : {}) ?? iso;

/**
 * The state of the four-step call (seed 002) and everything derived from it: the reference data, the
 * recommender's promise and keep-probability (the recommended one untouched, the typed one's once the
 * dispatcher adjusts a step), the promise plan on the contract's clock, per-step validation, and the
 * final submit that creates the case and tells the engineer. The step components only render it.
 *
 * The keep-probability is shown, never sent: the server computes and stores it with the promise itself.
 */
export function useFourStepCall(fixedNow?: Date) {
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [state, setState] = useState<CallState>(INITIAL);
  const [errors, setErrors] = useState<CallErrors>({});
  const [idempotencyKey] = useState(() => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`);
  const [now] = useState(() => fixedNow ?? new Date());

  const customers = useCustomers();
  const sites = useSites(state.customerId);
  const contracts = useContracts(state.customerId);
  const contract = contracts.data?.[0] ?? null;
  const calendar = useCalendar(contract?.calendarId ?? null);
  const engineers = useEngineers();
  const openCase = useOpenCase();
  const offerOptions = useOfferOptions();

  const set = (patch: Partial<CallState>) => {
    setState((s) => ({ ...s, ...patch }));
    // A corrected field loses its message at once; the others stay until the next attempt.
    setErrors((current) => {
      const keys = Object.keys(patch).filter((k) => k in current);
      if (keys.length === 0) return current;
      const next = { ...current };
      for (const k of keys) delete next[k];
      return next;
    });
  };
  const eta = state.etaMinutes.trim() === '' ? null : Number(state.etaMinutes);
  const etaMinutes = eta !== null && Number.isFinite(eta) ? eta : null;
  const requiredIso = fromLocalInputValue(state.requiredAt);

  // The recommender (issue 5) when it answers; otherwise the contract's organizational promise.
  const baseRequest =
    state.customerId && state.category.trim()
      ? {
          customerId: state.customerId,
          siteId: state.siteId || undefined,
          contractId: contract?.id,
          category: state.category.trim(),
          priority: state.priority,
          openedAt: now.toISOString(),
          requiredAt: requiredIso ?? undefined,
        }
      : null;
  // Ask once the typing settles, and stop asking once the recommender says it is not there.
  const settledRequest = useDebouncedValue(baseRequest ? JSON.stringify(baseRequest) : null, 300);
  const [recommenderMissing, setRecommenderMissing] = useState(false);
  const recommendation = useRecommendation(settledRequest && !recommenderMissing ? (JSON.parse(settledRequest) as NonNullable<typeof baseRequest>) : null);
  useEffect(() => {
    const error = recommendation.error;
    if (error instanceof ApiError && (error.status === 404 || error.status === 501)) setRecommenderMissing(true);
  }, [recommendation.error]);
  const rec = recommendation.data?.recommended ? recommendation.data : null;
  const recBreakdown = rec ? breakdownFromRecommendation(rec.breakdown, etaMinutes) : null;
  const breakdown = state.breakdown ?? recBreakdown ?? breakdownFromContract(contract, etaMinutes);
  /** The arrival the promise would take without the ETA: the recommender's worst case, else the contract's share. */
  const historyArrival = rec ? breakdownFromRecommendation(rec.breakdown, null).arrivalMinutes : breakdownFromContract(contract, null).arrivalMinutes;
  const businessClock = rec ? rec.basis?.clock === 'business' : contract?.promiseBasis === 'business';
  const needsCalendar = businessClock && Boolean(contract);
  const plan = useMemo(
    () => (needsCalendar && !calendar.data ? null : planTimes(now, breakdown, needsCalendar ? (calendar.data ?? null) : null)),
    [now, breakdown, needsCalendar, calendar.data],
  );
  // Untouched, the recommended promise is the recommender's own instant; adjusted, the plan's end.
  const untouched = Boolean(rec && sameBreakdown(breakdown, breakdownFromRecommendation(rec.breakdown, null)));
  const promisedAt = untouched && rec?.recommended ? new Date(rec.recommended.promisedAt) : (plan?.at(-1)?.endsAt ?? null);
  const typedIso = useDebouncedValue(promisedAt && !untouched ? promisedAt.toISOString() : null, 400);
  const typed = useRecommendation(rec && baseRequest && typedIso ? { ...baseRequest, promisedAt: typedIso } : null);
  const keepProbability = untouched ? (rec?.recommended?.keepProbability ?? null) : (typed.data?.typed?.keepProbability ?? null);
  // The tenant's list first (what analytics counts), then what the recommender suggests for this case (its title
  // is the option, its detail the explanation shown beside it), then her own.
  const recOptions = rec ? (typed.data ?? rec).options : [];
  const optionDetails: Record<string, string> = Object.fromEntries(recOptions.map((o) => [optionLabel(o.title), o.detail]));
  const options = [...new Set([...(offerOptions.data ?? []), ...recOptions.map((o) => optionLabel(o.title)), ...state.extraOptions])];
  const lateBy = promisedAt && requiredIso ? (promisedAt.getTime() - new Date(requiredIso).getTime()) / 60_000 : null;
  const engineer = engineers.data?.find((e) => e.id === state.engineerId) ?? null;
  const customer = customers.data?.find((c) => c.id === state.customerId) ?? null;

  // Keep a default site: the customer's only one.
  useEffect(() => {
    if (sites.data && sites.data.length > 0 && !sites.data.some((s) => s.id === state.siteId)) set({ siteId: sites.data[0].id });
  }, [sites.data, state.siteId]);

  const draftMessage = () =>
    promisedAt
      ? engineerMessage({
          engineer,
          customer,
          summary: state.summary,
          promisedAt,
          plan,
          offered: state.options,
          format: formatSiteInstant(sites.data?.find((site) => site.id === state.siteId)?.timeZone),
        })
      : '';
  /** What the engineer is told: the dispatcher's edit, else the drafted sentence. */
  const message = state.message || draftMessage();

  const validate = (index: number): CallErrors => {
    const e: CallErrors = {};
    if (index === 0) {
      if (!state.customerId) e.customerId = 'Choose the customer';
      if (!state.category.trim()) e.category = 'Name the category, e.g. Instrument down';
      if (!state.summary.trim()) e.summary = 'Describe the problem in a few words';
      if (!requiredIso) e.requiredAt = 'Ask when she needs it resolved';
      else if (new Date(requiredIso) <= now) e.requiredAt = 'The need must lie in the future';
      if (!state.context.trim()) e.context = 'Write down what is at stake, in her words';
      if (state.stressLevel === null) e.stressLevel = 'Choose how stressed she sounds';
      if (state.expectedAt && !fromLocalInputValue(state.expectedAt)) e.expectedAt = 'Not a valid time';
      if (state.expectedAt && !state.expectationSource) e.expectationSource = 'Say where her expectation comes from';
      if (!state.confirmed) e.confirmed = 'Read the need back and tick when she confirms it';
    }
    if (index === 1 && state.etaMinutes.trim() !== '' && !(Number(state.etaMinutes) >= 0 && Number(state.etaMinutes) <= 10_000)) {
      e.etaMinutes = 'Minutes from now, a number';
    }
    if (index === 2) {
      for (const key of STEPS) if (!(breakdown[key] >= 0)) e[key] = 'Minutes, zero or more';
      if (totalMinutes(breakdown) <= 0) e.arrivalMinutes = 'The promise needs some time';
    }
    if (index === 3) {
      if (!state.engineerId) e.engineerId = 'Choose the engineer to tell';
      if (!message.trim()) e.message = 'Write what you promised';
    }
    return e;
  };

  const submit = () => {
    const otherSources = state.otherSources.filter((s) => s !== state.expectationSource);
    const context = [
      state.context.trim(),
      state.partsNote.trim() ? `Parts: ${state.partsNote.trim()}` : null,
      otherSources.length ? `Other expectation sources: ${otherSources.map(humanize).join(', ')}` : null,
    ]
      .filter(Boolean)
      .join('\n');
    const expectedIso = fromLocalInputValue(state.expectedAt);
    const offered = lateBy !== null && lateBy > 0 ? state.options.filter((o) => options.includes(o)) : [];
    openCase.mutate(
      {
        idempotencyKey,
        options: offered.length ? { offered, chosen: offered.includes(state.chosenOption) ? state.chosenOption : null } : null,
        engineer: engineer ? { id: engineer.id, name: engineer.name } : null,
        message: message.trim(),
        // No keepProbability: the server computes it from the forecast and stores it with the promise.
        request: {
          customerId: state.customerId,
          siteId: state.siteId || undefined,
          contractId: contract?.id,
          category: state.category.trim(),
          priority: state.priority,
          summary: state.summary.trim(),
          context: context.slice(0, 4000),
          stressLevel: state.stressLevel ?? undefined,
          requiredAt: requiredIso ?? undefined,
          expectedAt: expectedIso ?? undefined,
          expectationSource: expectedIso && state.expectationSource ? state.expectationSource : undefined,
          promisedAt: promisedAt?.toISOString(),
          promiseBreakdown: { ...breakdown },
          customerAccepted: state.accepted ? 'yes' : 'pending',
        },
      },
      {
        onSuccess: ({ detail, dispatchError, optionsError }) => {
          if (!dispatchError && !optionsError) void navigate(`/cases/${detail.id}`);
        },
      },
    );
  };

  /** "Next" (and, on the last step, "Create case"): validates the current step, then moves on or submits. */
  const next = (event: FormEvent) => {
    event.preventDefault();
    const e = validate(step);
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    if (step < 3) {
      // Leaving the promise step freezes the breakdown the dispatcher saw (later answers must not move it).
      if (step === 2 && !state.message) set({ breakdown, message: '' });
      setStep(step + 1);
      return;
    }
    submit();
  };
  const back = () => setStep(step - 1);

  /** Offers an option or takes it back; taking back the chosen one leaves her undecided. */
  const toggleOption = (option: string, offered: boolean) =>
    set({
      options: offered ? [...state.options.filter((o) => o !== option), option] : state.options.filter((o) => o !== option),
      chosenOption: !offered && state.chosenOption === option ? '' : state.chosenOption,
    });
  /** Adds her own option (free text), offered at once; false when it is empty. */
  const addOption = (text: string): boolean => {
    const option = optionLabel(text);
    if (!option) return false;
    set({ extraOptions: state.extraOptions.includes(option) ? state.extraOptions : [...state.extraOptions, option], options: [...state.options.filter((o) => o !== option), option] });
    return true;
  };

  return {
    now,
    step,
    state,
    errors,
    set,
    next,
    back,
    toggleOption,
    addOption,
    customers,
    sites,
    contract,
    engineers,
    engineer,
    openCase,
    recommendation,
    offerOptions,
    rec,
    breakdown,
    businessClock,
    plan,
    untouched,
    promisedAt,
    keepProbability,
    options,
    optionDetails,
    lateBy,
    eta,
    etaMinutes,
    historyArrival,
    message,
  };
}

/** Everything a step of the call renders from. */
export type FourStepCallModel = ReturnType<typeof useFourStepCall>;
