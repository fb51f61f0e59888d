import { AnalyticsView } from '@/features/analytics/components/analytics-view';
import { RecoveryAnalytics } from '@/features/recovery/components/recovery-analytics';

export function AnalyticsRoute() {
  return (
    <>
      <title>Analytics · Kept</title>
      <AnalyticsView />
      <RecoveryAnalytics />
    </>
  );
}
