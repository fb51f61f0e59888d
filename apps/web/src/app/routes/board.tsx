import { BoardView } from '@/features/board/components/board-view';

export function BoardRoute() {
  return (
    <>
      <title>Board · Kept</title>
      <BoardView />
    </>
  );
}
