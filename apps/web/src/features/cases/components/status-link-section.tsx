import { useState } from 'react';
import {
  STATUS_LINK_DEFAULT_DAYS,
  STATUS_LINK_MAX_DAYS,
  type CreatedStatusLink,
  type StatusLink,
} from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant } from '@/lib/format';
import { useCreateStatusLink, useRevokeStatusLink, useStatusLinks } from '../api/status-links';

function linkState(link: StatusLink, now: Date): string {
  if (link.revokedAt) return `Revoked ${formatInstant(link.revokedAt)}`;
  if (new Date(link.expiresAt) <= now) return `Expired ${formatInstant(link.expiresAt)}`;
  return `Active until ${formatInstant(link.expiresAt)}`;
}

function CreatedLink({ link }: { link: CreatedStatusLink }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="status-link-created" role="status">
      <p>
        Send this link to the customer. It is shown <strong>only now</strong>; it works until{' '}
        {formatInstant(link.expiresAt)}.
      </p>
      <div className="status-link-created__row">
        <input
          className="field__input"
          readOnly
          value={link.url}
          aria-label="Status link URL"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button variant="secondary" size="sm" onClick={() => void copy()}>
          Copy
        </Button>
      </div>
      {copied === 'yes' ? <p className="muted">Copied to the clipboard.</p> : null}
      {copied === 'no' ? <p className="muted">Could not copy: select the link and copy it by hand.</p> : null}
    </div>
  );
}

/** The case page's "Status link" section: make a link for the customer, see its views, revoke it. */
export function StatusLinkSection({
  caseId,
  canAct,
  now = new Date(),
}: {
  caseId: string;
  canAct: boolean;
  now?: Date;
}) {
  const links = useStatusLinks(caseId);
  const create = useCreateStatusLink(caseId);
  const revoke = useRevokeStatusLink(caseId);
  const [days, setDays] = useState(String(STATUS_LINK_DEFAULT_DAYS));
  const daysValue = Number(days);
  const daysValid = Number.isInteger(daysValue) && daysValue >= 1 && daysValue <= STATUS_LINK_MAX_DAYS;

  return (
    <div className="status-links">
      <p className="muted">
        A private link that shows the customer her case's status and promised time, without logging in.
      </p>
      {canAct ? (
        <form
          className="status-links__form"
          onSubmit={(e) => {
            e.preventDefault();
            if (daysValid) create.mutate({ expiresInDays: daysValue });
          }}
        >
          <TextField
            label="Valid for (days)"
            type="number"
            min={1}
            max={STATUS_LINK_MAX_DAYS}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={daysValid ? undefined : `Enter a whole number of days from 1 to ${STATUS_LINK_MAX_DAYS}.`}
          />
          <Button type="submit" size="sm" busy={create.isPending} disabled={!daysValid}>
            Create status link
          </Button>
        </form>
      ) : null}
      {create.isError ? <Alert title="The link could not be created">{errorMessage(create.error)}</Alert> : null}
      {create.data ? <CreatedLink link={create.data} /> : null}
      {revoke.isError ? <Alert title="The link could not be revoked">{errorMessage(revoke.error)}</Alert> : null}

      {links.isPending ? <p className="muted">Loading status links…</p> : null}
      {links.isError ? <p className="muted">Status links could not be loaded.</p> : null}
      {links.data && links.data.items.length === 0 ? (
        <p className="muted">No status link has been made for this case.</p>
      ) : null}
      {links.data && links.data.items.length > 0 ? (
        <ul className="event-list" aria-label="Status links">
          {links.data.items.map((link) => {
            const live = !link.revokedAt && new Date(link.expiresAt) > now;
            return (
              <li key={link.id}>
                Made {formatInstant(link.createdAt)} · {linkState(link, now)} ·{' '}
                {link.viewCount === 0
                  ? 'not opened yet'
                  : `${link.viewCount} ${link.viewCount === 1 ? 'view' : 'views'}, last ${formatInstant(link.lastViewedAt)}`}
                {canAct && live ? (
                  <>
                    {' '}
                    <Button
                      variant="ghost"
                      size="sm"
                      busy={revoke.isPending && revoke.variables === link.id}
                      onClick={() => revoke.mutate(link.id)}
                      aria-label={`Revoke the link made ${formatInstant(link.createdAt)}`}
                    >
                      Revoke
                    </Button>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
