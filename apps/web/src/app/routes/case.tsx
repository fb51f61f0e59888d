import { useParams } from 'react-router';
import { CasePage } from '@/features/cases/components/case-page';

export function CaseRoute() {
  const { caseId = '' } = useParams();
  return <CasePage key={caseId} caseId={caseId} />;
}
