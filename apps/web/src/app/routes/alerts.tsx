import { AlertsInbox } from '@/features/alerts/components/alerts-inbox';
import { ApprovalsInbox } from '@/features/recovery/components/approvals-inbox';
import { useSession } from '@/hooks/use-session';

export function AlertsRoute() {
  const { session } = useSession();
  const role = session?.user.role;
  return (
    <>
      <title>Alerts · Kept</title>
      {role === 'admin' || role === 'manager' ? <ApprovalsInbox /> : null}
      <AlertsInbox />
    </>
  );
}
