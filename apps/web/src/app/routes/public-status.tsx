import { useParams } from 'react-router';
import { PublicStatusPage } from '@/features/public-status/components/public-status-page';

/** `/s/:token`: the customer's status page, outside the log-in. */
export function PublicStatusRoute() {
  const { token = '' } = useParams();
  return <PublicStatusPage key={token} token={token} />;
}
