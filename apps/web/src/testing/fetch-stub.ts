import type { ProblemDetails } from '@kept/contracts';

/**
 * The network boundary of component tests: `globalThis.fetch` answered with real `Response` objects, so
 * the app's own API client (headers, problem+json parsing, 401 handling) runs unchanged.
 */
export type FetchHandler = (request: {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
}) => Response | Promise<Response>;

export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...init.headers },
  });
}

export function problemResponse(problem: Partial<ProblemDetails> & { status: number }): Response {
  const body: ProblemDetails = {
    type: 'about:blank',
    title: 'Error',
    code: 'ERROR',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    ...problem,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  });
}

/** A response that never arrives until `resolve` is called: for asserting pending states. */
export function deferredResponse(): { promise: Promise<Response>; resolve: (response: Response) => void } {
  let resolve!: (response: Response) => void;
  const promise = new Promise<Response>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Replaces globalThis.fetch with a handler; returns the mock so tests can inspect the calls. */
export function stubFetch(handler: FetchHandler) {
  const mock = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    return handler({ url, method: (init.method ?? 'GET').toUpperCase(), headers, body });
  });
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
}

/** The requests a stub received, parsed, for assertions. */
export function requestsOf(mock: ReturnType<typeof stubFetch>) {
  return mock.mock.calls.map(([input, init = {}]) => {
    const url = new URL(String(input), 'http://localhost');
    return {
      url,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
  });
}
