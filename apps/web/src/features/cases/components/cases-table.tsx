import { Link } from 'react-router';
import type { CaseSummaryResponse, GapResponse } from '@kept/contracts';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDuration, type FormatOptions } from '@/lib/format';
import { CaseStatusBadge } from '@/components/case-status-badge';
import { Instant } from '@/components/instant';
import { PriorityLabel } from './priority-label';
import { PromiseVerdict } from './promise-verdict';
import { TableScroll } from '@/components/ui/table-scroll';

export interface CasesTableProps {
  cases: readonly CaseSummaryResponse[];
  caption: string;
  /** Zone and locale for every time shown; the caller names the zone in the caption. */
  format: FormatOptions;
  now: Date;
  /** Placeholder rows while the first page loads. */
  loading?: boolean;
  /** The rows are from the previous filter while the new one loads. */
  stale?: boolean;
}

const SKELETON_ROWS = 8;

function NeedGap({ gap }: { gap: GapResponse | null }) {
  if (!gap) return null;
  if (gap.wallMinutes > 0) {
    return <span className="cell-note cell-note--warning">{formatDuration(gap.wallMinutes)} after need</span>;
  }
  return <span className="cell-note">within need</span>;
}

function CaseRow({ item, format, now }: { item: CaseSummaryResponse; format: FormatOptions; now: Date }) {
  return (
    <tr data-testid="case-row">
      <th scope="row" className="col-ref">
        <Link className="case-ref" to={`/cases/${item.id}`}>
          {item.reference}
        </Link>
      </th>
      <td className="col-case">
        <span className="case-summary">{item.summary}</span>
        <span className="case-customer">
          {item.customer.name}
          {item.site ? <span className="case-site"> · {item.site.name}</span> : null}
        </span>
      </td>
      <td>
        <CaseStatusBadge status={item.status} pauseReason={item.pauseReason} />
      </td>
      <td>
        <PriorityLabel priority={item.priority} />
      </td>
      <td className="col-time">
        <Instant value={item.requiredAt} options={format} />
      </td>
      <td className="col-time">
        <Instant value={item.promisedAt} options={format} />
        {item.promisedAt ? <NeedGap gap={item.gaps.promisedMinusRequired} /> : null}
      </td>
      <td className="col-time">
        <Instant value={item.satisfiedAt} options={format} />
      </td>
      <td>
        <PromiseVerdict gaps={item.gaps} promisedAt={item.promisedAt} now={now} />
      </td>
    </tr>
  );
}

function SkeletonRow() {
  return (
    <tr className="skeleton-row" aria-hidden="true">
      <td>
        <Skeleton width="4rem" />
      </td>
      <td>
        <Skeleton width="80%" />
        <Skeleton width="50%" className="skeleton--thin" />
      </td>
      <td>
        <Skeleton width="4.5rem" />
      </td>
      <td>
        <Skeleton width="3.5rem" />
      </td>
      <td>
        <Skeleton width="6rem" />
      </td>
      <td>
        <Skeleton width="6rem" />
      </td>
      <td>
        <Skeleton width="6rem" />
      </td>
      <td>
        <Skeleton width="4rem" />
      </td>
    </tr>
  );
}

export function CasesTable({ cases, caption, format, now, loading = false, stale = false }: CasesTableProps) {
  return (
    <TableScroll label={caption}>
      <table
        className={['cases-table', stale ? 'is-stale' : null].filter(Boolean).join(' ')}
        aria-busy={loading || stale || undefined}
      >
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-ref">
              Reference
            </th>
            <th scope="col" className="col-case">
              Case
            </th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col" className="col-time">
              Required
            </th>
            <th scope="col" className="col-time">
              Promised
            </th>
            <th scope="col" className="col-time">
              Satisfied
            </th>
            <th scope="col">Promise</th>
          </tr>
        </thead>
        <tbody>
          {loading
            ? Array.from({ length: SKELETON_ROWS }, (_, index) => <SkeletonRow key={index} />)
            : cases.map((item) => <CaseRow key={item.id} item={item} format={format} now={now} />)}
        </tbody>
      </table>
    </TableScroll>
  );
}
