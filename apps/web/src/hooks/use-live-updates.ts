import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AlertResponse, KeptEvent } from '@kept/contracts';
import { API_BASE } from '@/lib/api-client';
import { getSession } from '@/lib/session';

export type LiveState = 'connecting' | 'live' | 'offline';

/** Listeners for alert events (the alerts inbox and notifications subscribe here). */
type AlertListener = (alert: AlertResponse) => void;
const alertListeners = new Set<AlertListener>();
export function onLiveAlert(listener: AlertListener): () => void {
  alertListeners.add(listener);
  return () => alertListeners.delete(listener);
}

const MAX_BACKOFF_MS = 60_000;

/** The event's JSON (`KeptEvent`); null when it cannot be read (it still means something changed). */
function parseEvent(event: Event): KeptEvent | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as KeptEvent;
  } catch {
    return null;
  }
}

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
        const data = parseEvent(event);
        void queryClient.invalidateQueries({ queryKey: ['board'] });
        void queryClient.invalidateQueries({ queryKey: ['cases'] });
        if (data?.type === 'case') void queryClient.invalidateQueries({ queryKey: ['case', data.caseId] });
        // Changes to a case reschedule or cancel its alerts.
        void queryClient.invalidateQueries({ queryKey: ['alerts'] });
      });
      source.addEventListener('alert', (event) => {
        const data = parseEvent(event);
        void queryClient.invalidateQueries({ queryKey: ['alerts'] });
        void queryClient.invalidateQueries({ queryKey: ['board'] });
        if (data?.type !== 'alert') return;
        for (const listener of alertListeners) listener(data.alert);
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
