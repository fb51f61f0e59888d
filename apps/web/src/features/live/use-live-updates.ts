import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { API_BASE } from '@/lib/api-client';
import { getSession } from '@/lib/session';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface CaseEvent {
  id: string;
  version: number;
  status: string;
}

/** Listeners for alert events (the alerts inbox and notifications subscribe here). */
type AlertListener = (alert: unknown) => void;
const alertListeners = new Set<AlertListener>();
export function onLiveAlert(listener: AlertListener): () => void {
  alertListeners.add(listener);
  return () => alertListeners.delete(listener);
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Subscribes to the API's Server-Sent Events stream (`GET /api/v1/events`) and turns each event into query
 * invalidations: a `case` event refreshes the board, the case lists and that case; an `alert` event the
 * alerts. The browser's EventSource cannot send headers, so the access token travels as a query parameter.
 * When the stream is unavailable it backs off (up to a minute) and the board's own refresh keeps working.
 */
export function useLiveUpdates(enabled: boolean): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setState('offline');
      return;
    }
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backoff = 2_000;
    let stopped = false;

    const connect = () => {
      const session = getSession();
      if (!session || stopped) return;
      setState('connecting');
      source = new EventSource(`${API_BASE}/events?access_token=${encodeURIComponent(session.accessToken)}`);
      source.onopen = () => {
        backoff = 2_000;
        setState('live');
      };
      source.addEventListener('case', (event) => {
        let data: Partial<CaseEvent> = {};
        try {
          data = JSON.parse((event as MessageEvent<string>).data) as CaseEvent;
        } catch {
          // a malformed event still means something changed
        }
        void queryClient.invalidateQueries({ queryKey: ['board'] });
        void queryClient.invalidateQueries({ queryKey: ['cases'] });
        if (data.id) void queryClient.invalidateQueries({ queryKey: ['case', data.id] });
      });
      source.addEventListener('alert', (event) => {
        void queryClient.invalidateQueries({ queryKey: ['alerts'] });
        void queryClient.invalidateQueries({ queryKey: ['board'] });
        let alert: unknown = null;
        try {
          alert = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of alertListeners) listener(alert);
      });
      source.onerror = () => {
        // Close and retry ourselves: a fixed browser retry would hammer a stream that is not there.
        source?.close();
        source = null;
        setState('offline');
        if (stopped) return;
        timer = setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [enabled, queryClient]);

  return state;
}
