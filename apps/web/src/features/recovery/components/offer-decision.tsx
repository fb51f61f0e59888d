import { useState } from 'react';
import { approvalRefusal } from '@kept/domain';
import type { GoodwillOffer, Role } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import { formatMoney } from '@/lib/money';
import { useDecideOffer, useGoodwillSettings } from '../api/recovery';

const DECIDERS = ['admin', 'manager', 'dispatcher'] as const;
const isDecider = (role: Role): role is (typeof DECIDERS)[number] => (DECIDERS as readonly Role[]).includes(role);

/**
 * Approve or deny an offer waiting for approval, with a reason (required to deny). The same rule as the API
 * (`approvalRefusal`, libs/domain) says beforehand why this person may not approve — her own offer, or above her
 * own limit — instead of offering a button the API would refuse; the API still enforces it.
 */
export function OfferDecision({ offer }: { offer: GoodwillOffer }) {
  const { session } = useSession();
  const settings = useGoodwillSettings();
  const decide = useDecideOffer();
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const me = session?.user;
  // Staff decide (the API's roles for approve and deny); engineers and viewers only see the state.
  if (offer.state !== 'approval_requested' || !me || !settings.data || !isDecider(me.role)) return null;
  const myLimit = offer.currency === settings.data.currency ? settings.data.limits[me.role] : -1;
  const refusal = approvalRefusal({ approverId: me.id, offeredBy: offer.offeredBy, approverLimitMinor: myLimit, valueMinor: offer.valueMinor });
  if (refusal === 'self_approval') {
    return <p className="muted">You made this offer: another person whose limit covers it must approve it.</p>;
  }
  const decideWith = (approve: boolean) => {
    setTried(true);
    if (!approve && !note.trim()) return;
    decide.mutate({ id: offer.id, approve, note: note.trim() || undefined });
  };
  return (
    <div className="offer-decision">
      {refusal === 'above_own_limit' ? (
        <p className="muted">
          Your limit ({myLimit < 0 ? `none in ${offer.currency}` : formatMoney(myLimit, offer.currency)}) does not cover{' '}
          {formatMoney(offer.valueMinor, offer.currency)}: ask someone with a higher limit to approve. You may deny it.
        </p>
      ) : null}
      <TextField
        label="Reason for the decision"
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
        error={tried && !note.trim() ? 'Say why you deny it' : undefined}
        hint="Required to deny"
      />
      <div className="recovery-offer__actions">
        {refusal === null ? (
          <Button size="sm" busy={decide.isPending && decide.variables?.approve} onClick={() => decideWith(true)}>
            Approve
          </Button>
        ) : null}
        <Button size="sm" variant="secondary" busy={decide.isPending && !decide.variables?.approve} onClick={() => decideWith(false)}>
          Deny
        </Button>
      </div>
      {decide.isError ? <Alert title="The decision was refused">{errorMessage(decide.error)}</Alert> : null}
    </div>
  );
}
