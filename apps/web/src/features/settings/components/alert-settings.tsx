import { AlertPolicies } from './alert-policies';
import { NotificationPreferences } from './notification-preferences';
import { WebhookSettings } from './webhook-settings';

/** The "Alert policies and webhooks" tab: the tenant's policies and webhooks (managers), and my own notifications. */
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
      <section className="panel" aria-label="My notifications">
        <h2>My notifications</h2>
        <NotificationPreferences />
      </section>
    </>
  );
}
