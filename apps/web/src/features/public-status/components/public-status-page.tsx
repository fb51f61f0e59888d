import { useEffect } from 'react';
import type { CaseStatus, PublicCaseStatus } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { ApiError } from '@/lib/api-client';
import { formatInstant } from '@/lib/format';
import { usePublicStatus } from '../api/get-public-status';

const STATUS_WORDS: Record<CaseStatus, string> = {
  open: 'We are working on it',
  paused: 'On hold',
  fixed: 'Fixed',
  satisfied: 'Done',
  cancelled: 'Cancelled',
};

/** Puts `<meta name=… content=…>` in the document head while the page is shown, and restores what was there. */
function useHeadMeta(name: string, content: string) {
  useEffect(() => {
    let meta = document.head.querySelector<HTMLMetaElement>(`meta[name="${name}"]`);
    const previous = meta?.content ?? null;
    if (!meta) {
      meta = document.createElement('meta');
      meta.name = name;
      document.head.appendChild(meta);
    }
    meta.content = content;
    return () => {
      if (previous === null) meta?.remove();
      else if (meta) meta.content = previous;
    };
  }, [name, content]);
}

function When({ iso, timeZone }: { iso: string | null; timeZone: string }) {
  if (!iso) return <>—</>;
  // The app's one format, in the site's zone, named (lib/format → @kept/domain displayInstant).
  return <time dateTime={iso}>{formatInstant(iso, { timeZone }) ?? iso}</time>;
}

function StatusCard({ status }: { status: PublicCaseStatus }) {
  const zone = status.timeZone ?? 'UTC';
  return (
    <article className="public-status__card" aria-labelledby="public-status-heading">
      <p className="muted">{status.organization}</p>
      <h1 id="public-status-heading">
        {status.reference} · {status.summary}
      </h1>
      <p className="public-status__state">
        <strong>{STATUS_WORDS[status.status]}</strong>
      </p>
      <dl className="public-status__facts">
        <dt>Opened</dt>
        <dd>
          <When iso={status.openedAt} timeZone={zone} />
        </dd>
        {status.requiredAt ? (
          <>
            <dt>You need it by</dt>
            <dd>
              <When iso={status.requiredAt} timeZone={zone} />
            </dd>
          </>
        ) : null}
        <dt>Promised by</dt>
        <dd>
          {status.promisedAt ? <When iso={status.promisedAt} timeZone={zone} /> : 'We will confirm a time shortly'}
        </dd>
        <dt>Fixed</dt>
        <dd>{status.fixedAt ? <When iso={status.fixedAt} timeZone={zone} /> : 'Not yet'}</dd>
        <dt>Completed</dt>
        <dd>{status.satisfiedAt ? <When iso={status.satisfiedAt} timeZone={zone} /> : 'Not yet'}</dd>
      </dl>
      <p className="muted">Times are shown in the site's time zone: {zone}.</p>
    </article>
  );
}

/** The customer's status page behind a capability link: no log-in, nothing indexed, no referrer sent. */
export function PublicStatusPage({ token }: { token: string }) {
  useHeadMeta('robots', 'noindex');
  useHeadMeta('referrer', 'no-referrer');
  const query = usePublicStatus(token);
  return (
    <main className="public-status">
      <title>Service status</title>
      {query.isPending ? (
        <div className="page-fallback">
          <Spinner size="md" label="Loading the status" />
        </div>
      ) : query.isError ? (
        query.error instanceof ApiError && query.error.status === 404 ? (
          <Alert title="This link is not valid">
            The link is unknown, has expired or was withdrawn. Please ask your service contact for a new one.
          </Alert>
        ) : query.error instanceof ApiError && query.error.status === 429 ? (
          <Alert title="Too many requests">Please wait a minute and reload the page.</Alert>
        ) : (
          <Alert title="The status could not be loaded">Please try again in a moment.</Alert>
        )
      ) : (
        <StatusCard status={query.data} />
      )}
    </main>
  );
}
