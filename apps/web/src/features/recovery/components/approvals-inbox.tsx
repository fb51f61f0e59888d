import { Link } from 'react-router';
import { LoadError } from '@/components/load-error';
import { Spinner } from '@/components/ui/spinner';
import { formatInstant } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { useApprovals, useGoodwillSettings } from '../api/recovery';
import { OfferDecision } from './offer-decision';

/**
 * Goodwill waiting for approval (managers and admins): each offer with its case, who offered it, why it needs an
 * approval, and approve / deny with a reason. Shown above the alerts inbox; the `goodwill_approval` alert
 * links to the same case.
 */
export function ApprovalsInbox() {
  const approvals = useApprovals();
  const settings = useGoodwillSettings();
  const kindLabel = (key: string) => settings.data?.kinds.find((k) => k.key === key)?.label ?? key;
  return (
    <section className="panel approvals" aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">
        Goodwill waiting for approval{approvals.data ? ` (${approvals.data.items.length})` : ''}
      </h2>
      {approvals.isPending ? <Spinner size="md" label="Loading approvals" /> : null}
      {approvals.isError ? <LoadError title="Approvals could not be loaded" error={approvals.error} onRetry={() => void approvals.refetch()} busy={approvals.isFetching} /> : null}
      {approvals.data && approvals.data.items.length === 0 ? <p className="muted">Nothing waits for an approval.</p> : null}
      {approvals.data && approvals.data.items.length ? (
        <ul className="event-list">
          {approvals.data.items.map((o) => (
            <li key={o.id} className="recovery-offer" aria-label={`${formatMoney(o.valueMinor, o.currency)} offered by ${o.offeredByName ?? 'an integration'}`}>
              <div>
                <strong>{formatMoney(o.valueMinor, o.currency)}</strong> · {kindLabel(o.kind)} ·{' '}
                <Link to={`/cases/${o.caseId}`}>open the case</Link>
              </div>
              <div className="muted">
                {o.reason}
                {o.gap ? ` · ${o.gap.target === 'promised' ? 'promise' : 'need'} missed by ${o.gap.minutes} min` : ''}
                {o.stressLevel ? ` · stress ${o.stressLevel}/5` : ''} · by {o.offeredByName ?? 'an integration'} {formatInstant(o.offeredAt)}
                {o.needsApprovalBecause ? ` · needs approval: ${o.needsApprovalBecause.replace(/_/g, ' ')}` : ''}
              </div>
              <OfferDecision offer={o} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
