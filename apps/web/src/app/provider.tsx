import { useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useSessionExpiry } from '@/features/auth/hooks/use-session-expiry';
import { createQueryClient } from '@/lib/query-client';

function SessionWatcher() {
  useSessionExpiry();
  return null;
}

export interface AppProviderProps {
  children: ReactNode;
  /** Tests pass their own client (no retries). */
  queryClient?: QueryClient;
}

export function AppProvider({ children, queryClient }: AppProviderProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <SessionWatcher />
      {children}
    </QueryClientProvider>
  );
}
