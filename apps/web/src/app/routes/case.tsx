import { useParams } from 'react-router';
import { CaseAlerts } from '@/features/alerts/components/case-alerts';
import { CasePage, type CasePageProps } from '@/features/cases/components/case-page';

/** The case page with the case's alerts in it: the app composes the two features. */
export function CaseRoute({ timeZone, locale }: Pick<CasePageProps, 'timeZone' | 'locale'> = {}) {
  const { caseId = '' } = useParams();
  return <CasePage key={caseId} caseId={caseId} timeZone={timeZone} locale={locale} renderAlerts={(props) => <CaseAlerts {...props} />} />;
}
