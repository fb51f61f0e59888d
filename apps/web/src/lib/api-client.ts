import type { ProblemDetails } from '@kept/contracts';
import { refreshSession } from './refresh';
import { endSession, getSession } from './session';

/** The API is served on the same origin (Vite proxies it in development). */
export const API_BASE = '/api/v1';

/** An HTTP error answered by the API, carrying its RFC 9457 problem details when there are any. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails | null;

  constructor(status: number, problem: ProblemDetails | null, fallback: string) {
    super(problem?.detail || problem?.title || fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The request never got an answer (offline, DNS, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Could not reach Kept. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Send the session's bearer token; a 401 then ends the session. Default true. */
  authenticated?: boolean;
  /** Extra headers, e.g. `If-Match` or `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** Sees the successful response before its body is read (e.g. for its ETag). */
  onResponse?: (response: Response) => void;
  /** Internal: the request is already the retry after a silent refresh. */
  retried?: boolean;
}

/** The weak ETag `W/"7"` as the version 7; null when absent or of another form. */
export function versionOfEtag(etag: string | null): number | null {
  const match = /^W\/"(\d+)"$/.exec(etag ?? '');
  return match ? Number(match[1]) : null;
}

/** A GET that also returns the version from the response's ETag (for resources without a version field). */
export async function apiGetVersioned<T>(path: string, signal?: AbortSignal): Promise<{ body: T; version: number | null }> {
  let etag: string | null = null;
  const body = await apiRequest<T>(path, { signal, onResponse: (response) => (etag = response.headers.get('etag')) });
  return { body, version: versionOfEtag(etag) };
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

async function readProblem(response: Response): Promise<ProblemDetails | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const body = (await response.json()) as Partial<ProblemDetails> | null;
    return body && typeof body === 'object' && typeof body.status === 'number' ? (body as ProblemDetails) : null;
  } catch {
    return null;
  }
}

export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal, authenticated = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (authenticated) {
    const session = getSession();
    if (session) headers.Authorization = `Bearer ${session.accessToken}`;
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new NetworkError(error);
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && authenticated) {
      // The access token expired or was revoked: renew it with the refresh cookie and try once more.
      if (!options.retried && (await refreshSession())) return apiRequest<T>(path, { ...options, retried: true });
      endSession('expired');
    }
    throw new ApiError(response.status, problem, `Request failed (${response.status} ${response.statusText}).`);
  }
  options.onResponse?.(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A message a person can act on, for any error thrown by `apiRequest`. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) return 'Kept ran into a problem on its side. Try again in a moment.';
    return error.message;
  }
  if (error instanceof NetworkError) return error.message;
  return 'Something went wrong. Try again.';
}
