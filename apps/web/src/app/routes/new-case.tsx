import { FourStepCall } from '@/features/new-case/components/four-step-call';

export function NewCaseRoute() {
  return (
    <>
      <title>New case · Kept</title>
      <FourStepCall />
    </>
  );
}
