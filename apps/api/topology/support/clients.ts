/** HTTP clients of the topology tests: JSON calls through the balancer and a live-event (SSE) reader. */

export type Pin = 'a' | 'b' | undefined;

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  /** The API process that answered (nginx's `$upstream_addr`, the last one tried). */
  upstream: string;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; pin?: Pin; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.pin) headers['x-kept-upstream'] = options.pin;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (nginx's own 502 page): kept as text
  }
  const upstream = (res.headers.get('x-upstream') ?? '').split(/,\s*/).pop() ?? '';
  return { status: res.status, body: body as T, headers: res.headers, upstream };
}

export interface SseEvent {
  event: string;
  data: string;
}

/** A live-event stream being read; `events` grows as they arrive. */
export interface LiveStream {
  status: number;
  contentType: string | null;
  upstream: string;
  events: SseEvent[];
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): Promise<void>;
}

export async function openStream(base: string, token: string, pin?: Pin): Promise<LiveStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/events?access_token=${encodeURIComponent(token)}`, {
    headers: pin ? { 'x-kept-upstream': pin } : {},
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let done = false;
  const reading = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffered += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, cut);
        buffered = buffered.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      done = true;
    });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    upstream: res.headers.get('x-upstream') ?? '',
    events,
    ended: () => done,
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** The ids of the alerts among `events`, once per event (a twice-fired alert appears twice). */
export const alertIdsOf = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'alert').map((e) => (JSON.parse(e.data) as { alert: { id: string } }).alert.id);

export const caseIdsOf = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'case').map((e) => (JSON.parse(e.data) as { caseId: string }).caseId);
