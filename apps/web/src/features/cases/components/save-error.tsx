import { Alert } from '@/components/ui/alert';
import { errorMessage } from '@/lib/api-client';
import { isStale } from '../api/case-actions';

/**
 * Why a change to a case was not saved. A stale version (412: someone else changed the case) has its own
 * words, because the page has already reloaded the case and the user only needs to check and try again.
 */
export function SaveError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert title={isStale(error) ? 'The case changed meanwhile' : 'Not saved'}>
      {isStale(error) ? 'Someone else changed this case. It has been reloaded: check it and try again.' : errorMessage(error)}
    </Alert>
  );
}
