import { endSession, startSession, type Session } from '@/lib/session';

export function createSession(overrides: Partial<Session> = {}): Session {
  return {
    accessToken: 'test-access-token',
    expiresAt: Date.now() + 15 * 60_000,
    user: { id: 'u-1', name: 'Dana Dispatcher', email: 'dispatcher@demo.kept.test', role: 'dispatcher' },
    organization: { id: 'o-1', name: 'Demo Field Service' },
    ...overrides,
  };
}

export function signIn(overrides: Partial<Session> = {}): Session {
  const session = createSession(overrides);
  startSession(session);
  return session;
}

export function signOut(): void {
  endSession('signed-out');
}
