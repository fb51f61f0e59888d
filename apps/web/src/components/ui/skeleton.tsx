export interface SkeletonProps {
  width?: string;
  className?: string;
}

/** A grey placeholder bar; hidden from assistive technology (announce loading elsewhere). */
export function Skeleton({ width = '100%', className }: SkeletonProps) {
  return <span className={['skeleton', className].filter(Boolean).join(' ')} style={{ width }} aria-hidden="true" />;
}
