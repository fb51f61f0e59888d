import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useSignOutEverywhere } from '../hooks/use-sign-out';

/**
 * "Your sessions": ends every session of the user on every device and browser (a lost phone, a shared
 * computer), and says so when the server could not be reached.
 */
export function SessionsPanel() {
  const signOutEverywhere = useSignOutEverywhere();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const run = async () => {
    setBusy(true);
    setFailed(false);
    const done = await signOutEverywhere();
    if (!done) {
      setBusy(false);
      setFailed(true);
    }
  };
  return (
    <section className="panel" aria-labelledby="my-sessions-heading">
      <h2 id="my-sessions-heading">Your sessions</h2>
      <p className="muted">
        Signed in on a phone you lost, or on a shared computer? End every session of yours on every device and browser, and close their live updates. You sign
        in again here afterwards.
      </p>
      {failed ? <Alert title="Nothing was ended">The server could not be reached. Try again in a moment.</Alert> : null}
      <Button variant="secondary" onClick={() => void run()} busy={busy}>
        Log out everywhere
      </Button>
    </section>
  );
}
