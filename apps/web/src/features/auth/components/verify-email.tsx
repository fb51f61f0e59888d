import { useEffect, useRef } from 'react';
import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useVerifyEmail } from '../api/signup';

/** Redeems the e-mail confirmation link once, on arrival; on success `onVerified` runs (the user is signed in). */
export function VerifyEmail({ token, onVerified }: { token: string; onVerified: () => void }) {
  const mutation = useVerifyEmail();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutation.mutate({ token }, { onSuccess: onVerified });
  }, [mutation, token, onVerified]);

  if (mutation.isError) {
    return (
      <Alert title="Could not confirm the address">
        {mutation.error instanceof ApiError && mutation.error.status === 401
          ? 'This link is unknown, has expired or was already used.'
          : errorMessage(mutation.error)}
      </Alert>
    );
  }
  return <Spinner size="md" label="Confirming your address" />;
}
