import { CasesView } from '@/features/cases/components/cases-view';

export function CasesRoute() {
  return (
    <>
      <title>Cases · Kept</title>
      <CasesView />
    </>
  );
}
