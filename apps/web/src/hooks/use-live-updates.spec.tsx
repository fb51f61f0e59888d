import { act, renderHook } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createAlert } from '@/testing/factories/alert.factory';
import { signIn } from '@/testing/session';
import { onLiveAlert, useLiveUpdates } from './use-live-updates';

/** A stand-in for the browser's EventSource that the test drives. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

describe('useLiveUpdates', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    (globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource;
  });
  afterEach(() => {
    delete (globalThis as unknown as { EventSource?: unknown }).EventSource;
    jest.useRealTimers();
  });

  it('connects with the access token and turns events into query invalidations', () => {
    signIn({ accessToken: 'tok/en' });
    const client = new QueryClient();
    const invalidate = jest.spyOn(client, 'invalidateQueries');
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useLiveUpdates(true), { wrapper });
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe('/api/v1/events?access_token=tok%2Fen');
    expect(result.current).toBe('connecting');
    act(() => source.onopen?.());
    expect(result.current).toBe('live');

    act(() => source.emit('case', { type: 'case', caseId: 'c-9', version: 3, status: 'paused' }));
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([['board'], ['cases'], ['case', 'c-9'], ['alerts']]);

    // The case event above already invalidated ['alerts']: start afresh so the alert event's own
    // invalidations are what is asserted (a `toContainEqual` over all calls passed whatever it did).
    invalidate.mockClear();
    const received: unknown[] = [];
    const off = onLiveAlert((alert) => received.push(alert.id));
    const alert = createAlert();
    act(() => source.emit('alert', { type: 'alert', alert }));
    off();
    expect(received).toEqual([alert.id]);
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([['alerts'], ['board']]);
  });

  it('closes on error and reconnects later by itself', () => {
    jest.useFakeTimers();
    signIn();
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result, unmount } = renderHook(() => useLiveUpdates(true), { wrapper });
    act(() => FakeEventSource.instances[0].onerror?.());
    expect(FakeEventSource.instances[0].closed).toBe(true);
    expect(result.current).toBe('offline');
    act(() => void jest.advanceTimersByTime(2_000));
    expect(FakeEventSource.instances).toHaveLength(2);
    unmount();
    expect(FakeEventSource.instances[1].closed).toBe(true);
  });
});
