import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/lib/api-client';

export interface LoadErrorProps {
  /** What could not be loaded, e.g. "The board could not be loaded". */
  title: string;
  error: unknown;
  onRetry(): void;
  /** The retry is running. */
  busy?: boolean;
}

/** A page's data failed to load: the reason and a "Try again" button. */
export function LoadError({ title, error, onRetry, busy }: LoadErrorProps) {
  return (
    <Alert
      title={title}
      action={
        <Button variant="secondary" onClick={onRetry} busy={busy}>
          Try again
        </Button>
      }
    >
      {errorMessage(error)}
    </Alert>
  );
}
