import { MyWork } from '@/features/engineer/components/my-work';

export function MyWorkRoute() {
  return (
    <>
      <title>My work · Kept</title>
      <MyWork />
    </>
  );
}
