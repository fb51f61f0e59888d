import { useQuery } from '@tanstack/react-query';
import type { CalendarResponse, ContractResponse } from '@kept/contracts';
import type { BusinessCalendar } from '@kept/domain';
import { apiRequest } from '@/lib/api-client';

export const engineerKeys = {
  contract: (id: string) => ['contract', id] as const,
  calendar: (id: string) => ['calendars', id] as const,
};

/**
 * The business calendar of a case's contract, for counting its step deadlines on the case's clock:
 * `null` for a case without a contract (it runs 24/7), `undefined` while loading or when it could not
 * be loaded (then no deadlines are shown rather than wrong ones).
 */
export function useContractCalendar(contractId: string | null): { calendar: BusinessCalendar | null | undefined; isError: boolean } {
  const contract = useQuery({
    queryKey: engineerKeys.contract(contractId ?? ''),
    queryFn: ({ signal }) => apiRequest<ContractResponse>(`/contracts/${contractId}`, { signal }),
    enabled: Boolean(contractId),
  });
  const calendarId = contract.data?.calendarId ?? null;
  const calendar = useQuery({
    queryKey: engineerKeys.calendar(calendarId ?? ''),
    queryFn: ({ signal }) => apiRequest<CalendarResponse>(`/calendars/${calendarId}`, { signal }),
    enabled: Boolean(calendarId),
  });
  if (!contractId) return { calendar: null, isError: false };
  return {
    calendar: calendar.data ? (calendar.data.definition as BusinessCalendar) : undefined,
    isError: contract.isError || calendar.isError,
  };
}
