import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { EXPECTATION_SOURCES, PRIORITIES, type ExpectationSource, type Priority } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { formatDuration, formatInstant, fromLocalInputValue, humanize, timeZoneLabel } from '@/lib/format';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useCalendar, useContracts, useCustomers, useEngineers, useOpenCase, useRecommendation, useSites } from '../api/reference-data';
import {
  breakdownFromContract,
  breakdownFromRecommendation,
  planTimes,
  sameBreakdown,
  STEP_LABEL,
  STEPS,
  totalMinutes,
  type Breakdown,
  type StepKey,
} from './promise-plan';

const STEP_TITLES = ['Confirm the need', 'Address trepidation', 'Set the worst-case promise', 'Tell the engineer'];

const OPTIONS = [
  'Loaner instrument until the fix',
  'Remote fix first (phone / remote session)',
  'Engineer from another branch',
  'Partial fix: the most urgent samples first',
];

interface CallState {
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
  breakdown: Breakdown | null;
  options: string[];
  accepted: boolean;
  message: string;
}

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
  accepted: false,
  message: '',
};

type Errors = Record<string, string>;

function Select({
  label,
  value,
  onChange,
  children,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  error?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className={['field', error ? 'field--invalid' : null].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="field__input field__input--select"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {children}
      </select>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function lowerFirst(text: string): string {
  return text ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** "You need the analyzer (error E-42) working by Mon 4:00 PM, in 2 h 10 min, because … — right?" */
export function readBack(state: Pick<CallState, 'summary' | 'requiredAt' | 'context'>, now: Date, format: (iso: string) => string): string | null {
  const iso = fromLocalInputValue(state.requiredAt);
  if (!iso || !state.summary.trim()) return null;
  const minutes = (new Date(iso).getTime() - now.getTime()) / 60_000;
  const within = minutes > 0 ? `, within the next ${formatDuration(minutes)}` : '';
  const because = state.context.trim() ? ` because ${lowerFirst(state.context.trim().replace(/[.!]+$/, ''))}` : '';
  return `You need “${state.summary.trim()}” resolved by ${format(iso)}${within}${because} — right?`;
}

/** The four-step call of seed 002 as a stepper; creates the case and tells the engineer at the end. */
export function FourStepCall({ now: fixedNow }: { now?: Date }) {
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [state, setState] = useState<CallState>(INITIAL);
  const [errors, setErrors] = useState<Errors>({});
  const [idempotencyKey] = useState(() => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [now] = useState(() => fixedNow ?? new Date());
  const zone = timeZoneLabel();
  const format = (iso: string) => formatInstant(iso) ?? iso;

  const customers = useCustomers();
  const sites = useSites(state.customerId);
  const contracts = useContracts(state.customerId);
  const contract = contracts.data?.[0] ?? null;
  const calendar = useCalendar(contract?.calendarId ?? null);
  const engineers = useEngineers();
  const openCase = useOpenCase();

  const pct = (p: number) => `${Math.round(p * 100)} %`;
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
  const options = rec ? (typed.data ?? rec).options.map((o) => `${o.title}: ${o.detail}`) : OPTIONS;
  const lateBy = promisedAt && requiredIso ? (promisedAt.getTime() - new Date(requiredIso).getTime()) / 60_000 : null;
  const engineer = engineers.data?.find((e) => e.id === state.engineerId) ?? null;
  const customer = customers.data?.find((c) => c.id === state.customerId) ?? null;

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  // Keep a default site: the customer's only one.
  useEffect(() => {
    if (sites.data && sites.data.length > 0 && !sites.data.some((s) => s.id === state.siteId)) set({ siteId: sites.data[0].id });
  }, [sites.data, state.siteId]);

  const engineerMessage = () => {
    if (!promisedAt) return '';
    const steps = plan?.map((p) => `${STEP_LABEL[p.key].toLowerCase()} by ${format(p.endsAt.toISOString())}`).join(', ');
    const name = engineer?.name.split(' ')[0] ?? 'Engineer';
    const options = state.options.length ? ` Offered: ${state.options.join('; ')}.` : '';
    return `${name}, I promised ${customer?.name ?? 'the customer'} “${state.summary.trim()}” resolved by ${format(
      promisedAt.toISOString(),
    )} at the latest: ${steps}.${options} Call me when you have run the first successful test.`;
  };

  const validate = (index: number): Errors => {
    const e: Errors = {};
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
      if (!(state.message || engineerMessage()).trim()) e.message = 'Write what you promised';
    }
    return e;
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    const e = validate(step);
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    if (step < 3) {
      if (step === 2 && !state.message) set({ breakdown, message: '' });
      setStep(step + 1);
      return;
    }
    const otherSources = state.otherSources.filter((s) => s !== state.expectationSource);
    const context = [state.context.trim(), state.partsNote.trim() ? `Parts: ${state.partsNote.trim()}` : null,
      otherSources.length ? `Other expectation sources: ${otherSources.map(humanize).join(', ')}` : null]
      .filter(Boolean)
      .join('\n');
    const expectedIso = fromLocalInputValue(state.expectedAt);
    openCase.mutate(
      {
        idempotencyKey,
        engineer: engineer ? { id: engineer.id, name: engineer.name } : null,
        message: (state.message || engineerMessage()).trim(),
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
        onSuccess: ({ detail, dispatchError }) => {
          if (!dispatchError) void navigate(`/cases/${detail.id}`);
        },
      },
    );
  };

  const readBackText = readBack(state, now, format);

  let body: ReactNode;
  if (step === 0) {
    body = (
      <>
        <div className="form-grid">
          <Select label="Customer" value={state.customerId} onChange={(v) => set({ customerId: v, siteId: '' })} error={errors.customerId} required>
            <option value="">{customers.isPending ? 'Loading…' : 'Choose…'}</option>
            {customers.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
          <Select label="Site" value={state.siteId} onChange={(v) => set({ siteId: v })}>
            <option value="">{state.customerId ? (sites.data?.length ? 'Choose…' : 'No sites') : 'Choose a customer first'}</option>
            {sites.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.timeZone})
              </option>
            ))}
          </Select>
          <TextField label="Category" value={state.category} onChange={(e) => set({ category: e.target.value })} error={errors.category} required placeholder="e.g. Instrument down" />
          <Select label="Priority" value={state.priority} onChange={(v) => set({ priority: v as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {humanize(p)}
              </option>
            ))}
          </Select>
        </div>
        <TextField label="Problem" value={state.summary} onChange={(e) => set({ summary: e.target.value })} error={errors.summary} required maxLength={500} placeholder="e.g. Analyzer shows error E-42" />
        <TextField
          label={`She needs it resolved by (${zone})`}
          type="datetime-local"
          value={state.requiredAt}
          onChange={(e) => set({ requiredAt: e.target.value, confirmed: false })}
          error={errors.requiredAt}
          required
        />
        <TextAreaField
          label="What is at stake, in her words"
          value={state.context}
          onChange={(v) => set({ context: v, confirmed: false })}
          error={errors.context}
          hint="e.g. Five samples must be done before the doctor calls patients at 4 pm."
          required
        />
        <fieldset className={['fieldset', errors.stressLevel ? 'field--invalid' : null].filter(Boolean).join(' ')}>
          <legend className="field__label">How stressed is she? (1 calm – 5 very)</legend>
          <div className="radio-row">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="radio-pill">
                <input type="radio" name="stress" value={n} checked={state.stressLevel === n} onChange={() => set({ stressLevel: n })} />
                <span>{n}</span>
              </label>
            ))}
          </div>
          {errors.stressLevel ? <p className="field__error">{errors.stressLevel}</p> : null}
        </fieldset>
        <div className="form-grid">
          <TextField
            label={`She expects it by (${zone}), optional`}
            type="datetime-local"
            value={state.expectedAt}
            onChange={(e) => set({ expectedAt: e.target.value })}
            error={errors.expectedAt}
          />
          <Select label="Main source of that expectation" value={state.expectationSource} onChange={(v) => set({ expectationSource: v as ExpectationSource })} error={errors.expectationSource}>
            <option value="">Not asked</option>
            {EXPECTATION_SOURCES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </Select>
        </div>
        {recommendation.data?.expectation.expectedAt ? (
          <p className="engine-hint" data-testid="expectation-hint">
            Kept’s expectation engine: she likely expects it by{' '}
            <strong>{format(recommendation.data.expectation.expectedAt)}</strong>
            {recommendation.data.expectation.dominatingSource
              ? ` (${humanize(recommendation.data.expectation.dominatingSource)}${
                  recommendation.data.expectation.n ? `, ${recommendation.data.expectation.n} past cases` : ''
                })`
              : ''}
            .{' '}
            {!state.expectedAt ? (
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  const exp = recommendation.data?.expectation;
                  if (!exp?.expectedAt) return;
                  const d = new Date(exp.expectedAt);
                  const pad = (n: number) => String(n).padStart(2, '0');
                  set({
                    expectedAt: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`,
                    expectationSource: exp.dominatingSource ?? '',
                  });
                }}
              >
                Use it
              </Button>
            ) : null}
          </p>
        ) : null}
        <fieldset className="fieldset">
          <legend className="field__label">Other sources she mentioned</legend>
          <div className="chip-row">
            {EXPECTATION_SOURCES.map((s) => (
              <label key={s} className="chip">
                <input
                  type="checkbox"
                  checked={state.otherSources.includes(s)}
                  onChange={(e) => set({ otherSources: e.target.checked ? [...state.otherSources, s] : state.otherSources.filter((x) => x !== s) })}
                />
                <span>{humanize(s)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="read-back" aria-live="polite">
          <p className="read-back__label">Read it back to her:</p>
          <p className="read-back__text" data-testid="read-back">
            {readBackText ?? 'Fill in the problem and the time she needs it by.'}
          </p>
          <div className="check-field">
            <input id="need-confirmed" type="checkbox" checked={state.confirmed} disabled={!readBackText} onChange={(e) => set({ confirmed: e.target.checked })} />
            <label htmlFor="need-confirmed">She confirmed: that is what she needs</label>
          </div>
          {errors.confirmed ? <p className="field__error">{errors.confirmed}</p> : null}
        </div>
      </>
    );
  } else if (step === 1) {
    body = (
      <>
        <p className="muted">Who can go, and how soon? Tell her something true: who is coming, how far away, with which parts.</p>
        {engineers.isPending ? <Spinner label="Loading engineers" /> : null}
        {engineers.isError ? <Alert title="Engineers could not be loaded">{errorMessage(engineers.error)}</Alert> : null}
        {engineers.data?.length === 0 ? <Alert tone="info">No active engineers in this organization.</Alert> : null}
        <fieldset className="fieldset">
          <legend className="field__label">Engineer</legend>
          <ul className="engineer-list">
            {engineers.data?.map((e) => (
              <li key={e.id}>
                <label className="engineer-card">
                  <input type="radio" name="engineer" value={e.id} checked={state.engineerId === e.id} onChange={() => set({ engineerId: e.id })} />
                  <span className="engineer-card__name">{e.name}</span>
                  <span className="engineer-card__load">
                    {e.openCases === 0 ? 'Free: no open cases' : `${e.openCases} open ${e.openCases === 1 ? 'case' : 'cases'}`}
                    {e.nextPromiseAt ? `, next promise ${format(e.nextPromiseAt)}` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="form-grid">
          <TextField label="Engineer ETA (minutes from now)" inputMode="numeric" value={state.etaMinutes} onChange={(e) => set({ etaMinutes: e.target.value, breakdown: null })} error={errors.etaMinutes} hint="Ask the engineer; it sets the arrival step." />
        </div>
        <TextAreaField label="Parts" value={state.partsNote} onChange={(v) => set({ partsNote: v })} hint="e.g. Carries a full set of probe spares." />
        {engineer ? (
          <p className="read-back__text">
            “I just spoke to {engineer.name.split(' ')[0]}
            {eta !== null && Number.isFinite(eta) ? `: about ${formatDuration(eta)} away` : ''}
            {state.partsNote.trim() ? `, and ${lowerFirst(state.partsNote.trim().replace(/[.]+$/, ''))}` : ''}.”
          </p>
        ) : null}
      </>
    );
  } else if (step === 2) {
    const setStep2 = (key: StepKey, value: string) => set({ breakdown: { ...breakdown, [key]: value === '' ? Number.NaN : Number(value) } });
    body = (
      <>
        {rec?.recommended ? (
          <Alert tone="info" title="Recommended promise">
            Kept with {pct(rec.recommended.keepProbability)} probability (target {pct(rec.target)})
            {rec.basis
              ? `, from ${rec.basis.n} similar cases${Object.keys(rec.basis.segment).length ? ` (${Object.entries(rec.basis.segment).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}, ${rec.basis.clock === 'business' ? 'business' : 'wall-clock'} time`
              : ''}
            {rec.basis?.extrapolated ? '. Few data: treat the probability as a rough guide' : ''}. Adjust each step to the worst case you can keep; the
            keep-probability follows.
          </Alert>
        ) : (
        <Alert tone="info" title="Organizational promise (no recommendation available)">
          {contract
            ? `Built from the contract “${contract.name}”: ${formatDuration(contract.promiseMinutes)} of ${contract.promiseBasis === 'business' ? 'business' : 'wall-clock'} time${
                contract.promiseDescription ? ` (${contract.promiseDescription})` : ''
              }. `
            : 'This customer has no contract: a default worst case. '}
          {recommendation.isFetching ? 'Asking the recommender… ' : 'No recommendation is available, so no keep-probability is shown. '}
          Adjust each step to the worst case you can keep.
        </Alert>
        )}
        <div className="breakdown" role="group" aria-label="Promise breakdown">
          {STEPS.map((key, i) => (
            <div key={key} className="breakdown__step">
              <TextField
                label={`${STEP_LABEL[key]} (minutes)`}
                inputMode="numeric"
                value={Number.isNaN(breakdown[key]) ? '' : String(breakdown[key])}
                onChange={(e) => setStep2(key, e.target.value)}
                error={errors[key]}
              />
              <p className="breakdown__end">
                {plan?.[i]
                  ? `done by ${format((i === STEPS.length - 1 && promisedAt ? promisedAt : plan[i].endsAt).toISOString())}`
                  : '…'}
              </p>
            </div>
          ))}
        </div>
        <div className="promise-summary" data-testid="promise-summary">
          <p className="promise-summary__label">Worst-case promise</p>
          <p className="promise-summary__time">{promisedAt ? format(promisedAt.toISOString()) : 'Loading the contract calendar…'}</p>
          <p className="muted">
            {formatDuration(totalMinutes(breakdown) || 0)} of {businessClock ? 'business' : 'wall-clock'} time · keep-probability:{' '}
            <strong data-testid="keep-probability">
              {keepProbability !== null ? pct(keepProbability) : rec && !untouched ? 'computing…' : 'not available'}
            </strong>
          </p>
        </div>
        {lateBy !== null && lateBy > 0 ? (
          <Alert title={`This promise lands ${formatDuration(lateBy)} after her need`}>
            <p>Do not just say no. Offer what can still meet the need:</p>
            <fieldset className="fieldset">
              <legend className="sr-only">Options to offer</legend>
              {options.map((o) => (
                <div key={o} className="check-field">
                  <input
                    id={`opt-${o}`}
                    type="checkbox"
                    checked={state.options.includes(o)}
                    onChange={(e) => set({ options: e.target.checked ? [...state.options, o] : state.options.filter((x) => x !== o) })}
                  />
                  <label htmlFor={`opt-${o}`}>{o}</label>
                </div>
              ))}
            </fieldset>
          </Alert>
        ) : lateBy !== null ? (
          <p className="gap-list__item gap-list__item--ok">
            <span aria-hidden="true">✓</span> {formatDuration(-lateBy)} inside her need.
          </p>
        ) : null}
        <div className="check-field">
          <input id="promise-accepted" type="checkbox" checked={state.accepted} onChange={(e) => set({ accepted: e.target.checked })} />
          <label htmlFor="promise-accepted">She accepted this promise</label>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <Select label="Engineer" value={state.engineerId} onChange={(v) => set({ engineerId: v })} error={errors.engineerId} required>
          <option value="">Choose…</option>
          {engineers.data?.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </Select>
        <TextAreaField
          label="Message to the engineer: the exact promise"
          value={state.message || engineerMessage()}
          onChange={(v) => set({ message: v })}
          error={errors.message}
          rows={5}
          required
        />
        {openCase.isError ? <Alert title="The case was not created">{errorMessage(openCase.error)}</Alert> : null}
        {openCase.data?.dispatchError ? (
          <Alert
            title="The case was created, but the engineer was not told"
            action={
              <Link className="button button--secondary button--md" to={`/cases/${openCase.data.detail.id}`}>
                Open {openCase.data.detail.reference}
              </Link>
            }
          >
            {errorMessage(openCase.data.dispatchError)}
          </Alert>
        ) : null}
      </>
    );
  }

  return (
    <section className="four-step" aria-labelledby="four-step-heading">
      <div className="page-heading">
        <h1 id="four-step-heading">New case: the four-step call</h1>
      </div>
      <ol className="stepper" aria-label="Steps">
        {STEP_TITLES.map((title, i) => (
          <li key={title} className={['stepper__step', i === step ? 'is-current' : null, i < step ? 'is-done' : null].filter(Boolean).join(' ')} aria-current={i === step ? 'step' : undefined}>
            <span className="stepper__number" aria-hidden="true">
              {i < step ? '✓' : i + 1}
            </span>
            <span>{title}</span>
          </li>
        ))}
      </ol>
      <form className="panel four-step__panel" onSubmit={next} noValidate>
        <h2 ref={headingRef} tabIndex={-1}>
          Step {step + 1} of 4: {STEP_TITLES[step]}
        </h2>
        {Object.keys(errors).length > 0 ? (
          <p className="sr-only" role="alert">
            Please correct {Object.keys(errors).length} {Object.keys(errors).length === 1 ? 'field' : 'fields'}.
          </p>
        ) : null}
        {body}
        <div className="four-step__buttons">
          {step > 0 ? (
            <Button variant="secondary" onClick={() => setStep(step - 1)} disabled={openCase.isPending}>
              Back
            </Button>
          ) : null}
          <Button type="submit" busy={openCase.isPending} disabled={step === 2 && !promisedAt}>
            {step < 3 ? 'Next' : `Create case and send to ${engineer?.name.split(' ')[0] ?? 'the engineer'}`}
          </Button>
        </div>
      </form>
    </section>
  );
}
