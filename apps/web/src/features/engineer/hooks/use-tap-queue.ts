import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLiveQuery } from 'dexie-react-hooks';
import { flushTaps, tapDb, type QueuedTap } from '../offline/tap-queue';

const RETRY_MS = 20_000;

/** The queued taps (live from IndexedDB); sends them when the page opens, when the connection returns and every 20 s. */
export function useTapQueue(): { taps: QueuedTap[]; flush: () => void } {
  const queryClient = useQueryClient();
  const taps = useLiveQuery(() => tapDb.taps.orderBy('seq').toArray(), [], [] as QueuedTap[]);
  useEffect(() => {
    let alive = true;
    const flush = () => {
      void flushTaps().then((r) => {
        if (!alive) return;
        for (const detail of r.sent) queryClient.setQueryData(['case', detail.id], detail);
        if (r.sent.length > 0 || r.conflicts > 0) void queryClient.invalidateQueries({ queryKey: ['board'] });
      });
    };
    flush();
    window.addEventListener('online', flush);
    const timer = window.setInterval(flush, RETRY_MS);
    return () => {
      alive = false;
      window.removeEventListener('online', flush);
      window.clearInterval(timer);
    };
  }, [queryClient]);
  return {
    taps,
    flush: () =>
      void flushTaps().then((r) => {
        for (const detail of r.sent) queryClient.setQueryData(['case', detail.id], detail);
      }),
  };
}
