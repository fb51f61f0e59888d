import type { LoginResponse, Role } from '@kept/contracts';

/**
 * The signed-in session, kept in sessionStorage so it survives a reload but not the closing of the tab.
 * A tiny external store: React reads it through `useSyncExternalStore` (see features/auth/hooks/use-session.ts)
 * and the API client clears it on a 401.
 */
export interface Session {
  accessToken: string;
  /** Epoch milliseconds after which the token is no longer accepted. */
  expiresAt: number;
  user: { id: string; name: string; email: string; role: Role };
  organization: { id: string; name: string };
}

export type SessionEndReason = 'signed-out' | 'expired';

export interface SessionState {
  session: Session | null;
  /** Why the last session ended, so the login page can say so. */
  endedBy: SessionEndReason | null;
}

const STORAGE_KEY = 'kept.session';

type Listener = () => void;
const listeners = new Set<Listener>();

let state: SessionState = { session: readStoredSession(), endedBy: null };

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Session>;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.expiresAt === 'number' &&
    typeof v.user?.name === 'string' &&
    typeof v.user?.role === 'string' &&
    typeof v.organization?.name === 'string'
  );
}

function readStoredSession(): Session | null {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isSession(parsed) && parsed.expiresAt > Date.now()) return parsed;
  } catch {
    // fall through: unreadable data is dropped
  }
  storage()?.removeItem(STORAGE_KEY);
  return null;
}

function emit(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function sessionFromLogin(response: LoginResponse, now: number = Date.now()): Session {
  const { user, organization } = response;
  return {
    accessToken: response.accessToken,
    expiresAt: now + response.expiresIn * 1000,
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    organization: { id: organization.id, name: organization.name },
  };
}

export function startSession(session: Session): void {
  storage()?.setItem(STORAGE_KEY, JSON.stringify(session));
  emit({ session, endedBy: null });
}

export function endSession(reason: SessionEndReason): void {
  storage()?.removeItem(STORAGE_KEY);
  if (state.session === null && state.endedBy === reason) return;
  emit({ session: null, endedBy: reason });
}

/** The current session, or null when there is none or its token has expired. */
export function getSession(): Session | null {
  const { session } = state;
  if (session && session.expiresAt <= Date.now()) {
    endSession('expired');
    return null;
  }
  return session;
}

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-reads sessionStorage; for tests that prepare storage before rendering. */
export function reloadSessionFromStorage(): void {
  emit({ session: readStoredSession(), endedBy: null });
}
