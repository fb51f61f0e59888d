import { useParams } from 'react-router';
import { CaseAlerts } from '@/features/alerts/components/case-alerts';
import { CasePage, type CasePageProps } from '@/features/cases/components/case-page';
import { CaseRecovery } from '@/features/recovery/components/case-recovery';

/** The case page with the case's alerts and recovery (goodwill, root cause) in it: the app composes the features. */
export function CaseRoute({ timeZone, locale }: Pick<CasePageProps, 'timeZone' | 'locale'> = {}) {
  const { caseId = '' } = useParams();
  return (
    <CasePage
      key={caseId}
      caseId={caseId}
      timeZone={timeZone}
      locale={locale}
      renderAlerts={(props) => <CaseAlerts {...props} />}
      renderRecovery={(props) => <CaseRecovery {...props} />}
    />
  );
}
