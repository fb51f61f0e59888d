import { useState } from 'react';
import { ROOT_CAUSE_CATEGORIES, type RootCauseCategory } from '@kept/domain';
import type { GoodwillOffer } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import { formatInstant } from '@/lib/format';
import {
  useCaseGoodwill,
  useGoodwillSettings,
  useOfferGoodwill,
  useRecordOptions,
  useRecordRootCause,
  useRespondOffer,
  useRootCause,
  useRootCauseDone,
} from '../api/recovery';
import { formatMoney, parseMajor } from '@/lib/money';
import { CATEGORY_LABEL } from './category-label';
import { OfferDecision } from './offer-decision';


const STATE: Record<GoodwillOffer['state'], { label: string; tone: BadgeTone }> = {
  given: { label: 'Given', tone: 'success' },
  approval_requested: { label: 'Approval requested', tone: 'warning' },
  denied: { label: 'Denied', tone: 'danger' },
};

/** The reason the approver or denier gave, from the offer's append-only events. */
export const decisionNote = (offer: GoodwillOffer) => offer.events.find((e) => e.event === 'approved' || e.event === 'denied')?.note ?? null;

function OfferRow({ offer, kindLabel }: { offer: GoodwillOffer; kindLabel: string }) {
  const respond = useRespondOffer();
  const s = STATE[offer.state];
  return (
    <li className="recovery-offer">
      <div>
        <strong>{formatMoney(offer.valueMinor, offer.currency)}</strong> · {kindLabel} <Badge tone={s.tone}>{s.label}</Badge>
        {offer.customerResponse ? <Badge tone={offer.customerResponse === 'accepted' ? 'success' : 'muted'}>Customer {offer.customerResponse}</Badge> : null}
      </div>
      <div className="muted">
        {offer.reason}
        {offer.gap ? ` · ${offer.gap.target === 'promised' ? 'promise' : 'need'} missed by ${offer.gap.minutes} min` : ''} · by {offer.offeredByName ?? 'an integration'}{' '}
        {formatInstant(offer.offeredAt)}
        {offer.decidedByName ? ` · ${offer.state === 'denied' ? 'denied' : 'approved'} by ${offer.decidedByName} ${formatInstant(offer.decidedAt)}` : ''}
        {decisionNote(offer) ? `: “${decisionNote(offer)}”` : ''}
        {offer.needsApprovalBecause && offer.state === 'approval_requested' ? ` · needs approval: ${offer.needsApprovalBecause.replace(/_/g, ' ')}` : ''}
      </div>
      <OfferDecision offer={offer} />
      <div className="recovery-offer__actions">
        {offer.state === 'given' && !offer.customerResponse ? (
          <>
            <Button size="sm" variant="secondary" onClick={() => respond.mutate({ id: offer.id, response: 'accepted' })}>
              Customer accepted
            </Button>
            <Button size="sm" variant="secondary" onClick={() => respond.mutate({ id: offer.id, response: 'declined' })}>
              Declined
            </Button>
          </>
        ) : null}
      </div>
      {respond.isError ? <Alert title="Not recorded">{errorMessage(respond.error)}</Alert> : null}
    </li>
  );
}

function OfferForm({ caseId, suggestedMinor }: { caseId: string; suggestedMinor: number | null }) {
  const settings = useGoodwillSettings();
  const offer = useOfferGoodwill(caseId);
  const [kind, setKind] = useState('');
  const [amount, setAmount] = useState(suggestedMinor ? String(suggestedMinor / 100) : '');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  if (!settings.data) return null;
  const kinds = settings.data.kinds;
  const k = kinds.find((x) => x.key === (kind || kinds[0]?.key));
  const minor = parseMajor(amount);
  const valid = !!k && (!k.money || minor !== null) && reason.trim().length > 0;
  return (
    <form
      className="recovery-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!valid || !k) return;
        offer.mutate(
          { kind: k.key, ...(k.money ? { valueMinor: minor as number } : {}), reason: reason.trim() },
          { onSuccess: () => (setReason(''), setTried(false)) },
        );
      }}
    >
      <SelectField label="Kind" value={k?.key ?? ''} onChange={setKind}>
        {kinds.map((x) => (
          <option key={x.key} value={x.key}>
            {x.label}
            {x.money ? '' : ` (${formatMoney(x.valueMinor, x.currency)})`}
          </option>
        ))}
      </SelectField>
      {k?.money ? (
        <TextField
          label={`Amount (${settings.data.currency})`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={tried && minor === null ? 'Enter a positive amount, e.g. 150 or 150.50.' : undefined}
        />
      ) : null}
      <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} error={tried && !reason.trim() ? 'Say why.' : undefined} />
      <Button type="submit" size="sm" busy={offer.isPending}>
        Offer goodwill
      </Button>
      {offer.isError ? <Alert title="The offer was refused">{errorMessage(offer.error)}</Alert> : null}
      {offer.data?.state === 'approval_requested' ? (
        <Alert title="Approval requested" tone="info">
          Above your limit or the team's budget: a manager has been alerted.
        </Alert>
      ) : null}
    </form>
  );
}

function OptionsForm({ caseId }: { caseId: string }) {
  const settings = useGoodwillSettings();
  const record = useRecordOptions(caseId);
  const [offered, setOffered] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const [chosen, setChosen] = useState('');
  if (!settings.data) return null;
  const all = [...offered, ...(other.trim() ? [other.trim()] : [])];
  return (
    <form
      className="recovery-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (all.length) record.mutate({ offered: all, chosen: chosen && all.includes(chosen) ? chosen : null });
      }}
    >
      <fieldset className="recovery-options">
        <legend>Options offered instead of a no</legend>
        {settings.data.options.map((o) => (
          <label key={o} className="checkbox">
            <input
              type="checkbox"
              checked={offered.includes(o)}
              onChange={(e) => setOffered(e.target.checked ? [...offered, o] : offered.filter((x) => x !== o))}
            />{' '}
            {o}
          </label>
        ))}
      </fieldset>
      <TextField label="Other option (free text)" value={other} onChange={(e) => setOther(e.target.value)} maxLength={80} />
      <SelectField label="She chose" value={chosen} onChange={setChosen}>
        <option value="">Not decided</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </SelectField>
      <Button type="submit" size="sm" variant="secondary" disabled={!all.length} busy={record.isPending}>
        Record options
      </Button>
      {record.isError ? <Alert title="Not recorded">{errorMessage(record.error)}</Alert> : null}
    </form>
  );
}

function RootCauseSection({ caseId, canAct }: { caseId: string; canAct: boolean }) {
  const { session } = useSession();
  const rc = useRootCause(caseId);
  const record = useRecordRootCause(caseId);
  const done = useRootCauseDone();
  const [category, setCategory] = useState<RootCauseCategory>('parts');
  const [whys, setWhys] = useState('');
  const [action, setAction] = useState('');
  const [due, setDue] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  if (rc.isPending) return <p className="muted">Loading root cause…</p>;
  const r = rc.data?.rootCause;
  if (r) {
    return (
      <div className="root-cause" aria-label="Root cause">
        <p>
          <strong>{CATEGORY_LABEL[r.category]}</strong> · {Math.round(r.minutesLost / 6) / 10} h lost · team {r.team ?? '—'}
        </p>
        <ol className="root-cause__whys">
          {r.whys.map((w, i) => (
            <li key={i}>Why? {w}</li>
          ))}
        </ol>
        <p>
          Corrective action: {r.correctiveAction} · owner {r.ownerName ?? '—'} · due {formatInstant(r.dueAt)}{' '}
          {r.doneAt ? <Badge tone="success">Done</Badge> : r.overdue ? <Badge tone="danger">Overdue</Badge> : <Badge tone="info">Open</Badge>}
        </p>
        {canAct && !r.doneAt ? (
          <Button size="sm" variant="secondary" busy={done.isPending} onClick={() => done.mutate(r.id)}>
            Mark action done
          </Button>
        ) : null}
      </div>
    );
  }
  if (!canAct || !session) return <p className="muted">No root cause recorded yet.</p>;
  const whyList = whys
    .split('\n')
    .map((w) => w.trim())
    .filter(Boolean);
  return (
    <form
      className="recovery-form"
      aria-label="Record root cause"
      onSubmit={(e) => {
        e.preventDefault();
        if (!whyList.length || !action.trim()) return;
        record.mutate({ category, whys: whyList.slice(0, 5), correctiveAction: action.trim(), ownerId: session.user.id, dueAt: new Date(`${due}T17:00:00Z`).toISOString() });
      }}
    >
      <p className="muted">This case was missed: record why, like an end-of-line defect. Until then it waits in the root-cause queue.</p>
      <SelectField label="Category" value={category} onChange={(v) => setCategory(v as RootCauseCategory)}>
        {ROOT_CAUSE_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {CATEGORY_LABEL[c]}
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Five whys (one per line)" value={whys} onChange={setWhys} rows={4} />
      <TextField label="Corrective action" value={action} onChange={(e) => setAction(e.target.value)} maxLength={1000} />
      <TextField label="Due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      <Button type="submit" size="sm" busy={record.isPending} disabled={!whyList.length || !action.trim()}>
        Record root cause
      </Button>
      {record.isError ? <Alert title="The root cause was refused">{errorMessage(record.error)}</Alert> : null}
    </form>
  );
}

/** The case page's recovery panel: the ladder's next step, the goodwill ledger with approvals, options instead of no, and the root cause. */
export function CaseRecovery({ caseId, canAct, missed }: { caseId: string; canAct: boolean; missed: boolean }) {
  const gw = useCaseGoodwill(caseId);
  const settings = useGoodwillSettings();
  if (gw.isPending) return <p className="muted">Loading goodwill…</p>;
  if (gw.isError) return <Alert title="Goodwill could not be loaded">{errorMessage(gw.error)}</Alert>;
  const d = gw.data;
  const label = (key: string) => settings.data?.kinds.find((k) => k.key === key)?.label ?? key;
  return (
    <div className="recovery">
      <p className="recovery__suggestion" aria-label="Suggested next step">
        {d.suggestion.valueMinor !== null ? (
          <>
            Suggested next step: <strong>{formatMoney(d.suggestion.valueMinor, d.currency)}</strong> ({d.suggestion.why})
            {d.suggestion.needsApproval ? ' — above your limit, needs a manager’s approval' : ''}.
          </>
        ) : (
          <>{d.suggestion.why}.</>
        )}{' '}
        <span className="muted">
          Given so far {formatMoney(d.givenMinor, d.currency)} · your limit {formatMoney(d.myLimitMinor, d.currency)} per case.
        </span>
      </p>
      {d.offers.length ? (
        <ul className="event-list" aria-label="Goodwill ledger">
          {d.offers.map((o) => (
            <OfferRow key={o.id} offer={o} kindLabel={label(o.kind)} />
          ))}
        </ul>
      ) : (
        <p className="muted">No goodwill offered on this case.</p>
      )}
      {canAct ? <OfferForm caseId={caseId} suggestedMinor={d.suggestion.valueMinor} /> : null}
      {d.options.length ? (
        <ul className="event-list" aria-label="Options offered">
          {d.options.map((o) => (
            <li key={o.id}>
              Offered {o.offered.join(', ')} · {o.chosen ? `she chose ${o.chosen}` : 'no choice yet'} · {formatInstant(o.recordedAt)}
            </li>
          ))}
        </ul>
      ) : null}
      {canAct ? <OptionsForm caseId={caseId} /> : null}
      {missed ? (
        <>
          <h3>Root cause</h3>
          <RootCauseSection caseId={caseId} canAct={canAct} />
        </>
      ) : null}
    </div>
  );
}
