import { AnalyticsView } from '@/features/analytics/components/analytics-view';

export function AnalyticsRoute() {
  return (
    <>
      <title>Analytics · Kept</title>
      <AnalyticsView />
    </>
  );
}
