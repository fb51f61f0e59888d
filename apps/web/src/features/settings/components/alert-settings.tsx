import { Link } from 'react-router';
import { AlertPolicies } from './alert-policies';
import { WebhookSettings } from './webhook-settings';

/** The "Alert policies and webhooks" tab: the tenant's policies and webhooks (managers); my own notifications live in My preferences. */
export function AlertSettings({ isManager }: { isManager: boolean }) {
  return (
    <>
      <section className="panel" aria-label="Alert policies">
        <h2>Alert policies</h2>
        {isManager ? <AlertPolicies /> : <p className="muted">Only managers and admins can see alert policies.</p>}
      </section>
      <section className="panel" aria-label="Webhooks">
        <h2>Webhooks</h2>
        {isManager ? <WebhookSettings /> : <p className="muted">Only managers and admins can see webhooks.</p>}
      </section>
      <p className="muted">
        Your own e-mail, digest and quiet hours: <Link to="/preferences">My preferences</Link>.
      </p>
    </>
  );
}
