import { AlertsInbox } from '@/features/alerts/components/alerts-inbox';

export function AlertsRoute() {
  return (
    <>
      <title>Alerts · Kept</title>
      <AlertsInbox />
    </>
  );
}
